// Loading a catalog file: replaces the tenant's whole catalog in the load's transaction.
#include <vector>

#include "custom_columns.hpp"
#include "ddl.hpp"
#include "load_base.hpp"

namespace sightline::target_pg {

using sightline::plugin::Column;
using sightline::plugin::LoadSpec;
using sightline::plugin::Value;
using sightline::plugin::ValueType;

namespace {

class CatalogLoad final : public LoadBase {
public:
    CatalogLoad(std::shared_ptr<Connection> connection, const Dialect& dialect,
                const LoadSpec& spec)
        : LoadBase(std::move(connection), dialect, spec.kind, spec.mode) {
        try {
            const std::vector<Column> custom(
                spec.columns.begin() + sightline::plugin::catalog_fixed_columns,
                spec.columns.end());
            add_custom_columns(tx(), kCatalogColumns, custom, file_id(), true);
            // DELETE, not TRUNCATE: readers keep seeing the old catalog until COMMIT.
            tx().exec("DELETE FROM catalog_categories");
            tx().exec("DELETE FROM catalog_items");
            for (const auto& column : custom) custom_types_.push_back(column.type);
            copy_.start(this->connection(), copy_catalog_items(custom));
        } catch (...) {
            rethrow_as_error("cannot start the load of a catalog in the " +
                             this->connection().label() + " database");
        }
    }

    void append(const Value* values) override {
        check_open();
        if (!values[0].present) fail_row("no value for the required column 'item'");
        if (!values[1].present) fail_row("no value for the required column 'category'");
        try {
            for (int c = 0; c < 4; ++c) {
                if (values[c].present) {
                    copy_.text(values[c].s);
                } else {
                    copy_.null();
                }
            }
            write_custom(custom_types_, values + sightline::plugin::catalog_fixed_columns);
            copy_.end_row();
        } catch (...) {
            fail_append();
        }
        ++rows_;
    }

private:
    void before_commit() override { tx().exec(fill_catalog_categories()); }

    std::vector<ValueType> custom_types_;
};

}  // namespace

std::unique_ptr<sightline::plugin::LoadTransaction> begin_catalog_load(
    std::shared_ptr<Connection> connection, const Dialect& dialect, const LoadSpec& spec) {
    return std::make_unique<CatalogLoad>(std::move(connection), dialect, spec);
}

}  // namespace sightline::target_pg
