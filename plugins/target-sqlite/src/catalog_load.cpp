// Loading a catalog file: replaces the tenant's whole catalog in the load's transaction.
#include <vector>

#include "custom_columns.hpp"
#include "load_base.hpp"
#include "load_transaction.hpp"

namespace sightline::target_sqlite {

using sightline::plugin::Column;
using sightline::plugin::LoadSpec;
using sightline::plugin::Value;
using sightline::plugin::ValueType;

namespace {

class CatalogLoad final : public LoadBase {
public:
    CatalogLoad(std::shared_ptr<Connection> db, const LoadSpec& spec)
        : LoadBase(std::move(db), spec.kind, spec.mode) {
        const std::vector<Column> custom(
            spec.columns.begin() + sightline::plugin::catalog_fixed_columns, spec.columns.end());
        add_custom_columns(this->db(), kCatalogColumns, custom, file_id());
        // Children first: catalog_categories references catalog_items.
        this->db().exec("DELETE FROM catalog_categories");
        this->db().exec("DELETE FROM catalog_items");

        std::string sql = "INSERT INTO catalog_items (item, category, title, brand";
        std::string params = "?1, ?2, ?3, ?4";
        int index = 5;
        for (const auto& column : custom) {
            sql += ", " + quote_identifier(column.name);
            params += ", ?" + std::to_string(index++);
            custom_types_.push_back(column.type);
        }
        insert_item_ = Statement(this->db(), sql + ") VALUES (" + params + ")");
        // OR IGNORE: "A|A" names one category, not two.
        insert_path_ = Statement(this->db(),
                                 "INSERT OR IGNORE INTO catalog_categories (item, path) "
                                 "VALUES (?1, ?2)");
    }

    void append(const Value* values) override {
        check_open();
        if (!values[0].present) fail_row("no value for the required column 'item'");
        if (!values[1].present) fail_row("no value for the required column 'category'");
        const std::string_view item = values[0].s;
        const std::string_view category = values[1].s;

        sqlite3_stmt* st = insert_item_.get();
        int rc = bind_text_static(st, 1, item);
        rc |= bind_text_static(st, 2, category);
        for (int c = 2; c < 4; ++c) {
            rc |= values[c].present ? bind_text_static(st, c + 1, values[c].s)
                                    : sqlite3_bind_null(st, c + 1);
        }
        rc |= bind_custom_values(st, 5, custom_types_,
                                 values + sightline::plugin::catalog_fixed_columns);
        if (rc != SQLITE_OK) fail_insert(st, rc);
        rc = sqlite3_step(st);
        if ((rc & 0xff) == SQLITE_CONSTRAINT) {
            sqlite3_reset(st);
            fail_row("item '" + std::string(item) + "' is listed twice in the catalog");
        }
        if (rc != SQLITE_DONE) fail_insert(st, rc);
        sqlite3_reset(st);

        // One row per category path: "Shoes>Running|Sale" -> "Shoes>Running", "Sale".
        sqlite3_stmt* paths = insert_path_.get();
        size_t start = 0;
        while (start <= category.size()) {
            size_t end = category.find('|', start);
            if (end == std::string_view::npos) end = category.size();
            const std::string_view path = category.substr(start, end - start);
            if (!path.empty()) {
                rc = bind_text_static(paths, 1, item) | bind_text_static(paths, 2, path);
                if (rc != SQLITE_OK) fail_insert(paths, rc);
                rc = sqlite3_step(paths);
                if (rc != SQLITE_DONE) fail_insert(paths, rc);
                sqlite3_reset(paths);
            }
            start = end + 1;
        }
        ++rows_;
    }

private:
    Statement insert_item_;
    Statement insert_path_;
    std::vector<ValueType> custom_types_;
};

}  // namespace

std::unique_ptr<sightline::plugin::LoadTransaction> begin_catalog_load(
    std::shared_ptr<Connection> db, const LoadSpec& spec) {
    return std::make_unique<CatalogLoad>(std::move(db), spec);
}

}  // namespace sightline::target_sqlite
