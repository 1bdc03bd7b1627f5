// Loading a sales file: the hot path of the plugin (one prepared INSERT, no per-row allocation).
#include <vector>

#include "custom_columns.hpp"
#include "customer_key.hpp"
#include "load_base.hpp"
#include "load_transaction.hpp"
#include "schema.hpp"

namespace sightline::target_sqlite {

using sightline::plugin::Column;
using sightline::plugin::LoadMode;
using sightline::plugin::LoadSpec;
using sightline::plugin::Value;
using sightline::plugin::ValueType;

namespace {

constexpr int64_t kOneMillionth = 1000000;  // quantity 1, the default

const char* const kRequired[] = {"order", "timestamp", "customer", "item", "price"};

class SalesLoad final : public LoadBase {
public:
    SalesLoad(std::shared_ptr<Connection> db, const LoadSpec& spec)
        : LoadBase(std::move(db), spec.kind, spec.mode) {
        const std::vector<Column> custom(
            spec.columns.begin() + sightline::plugin::sales_fixed_columns, spec.columns.end());
        if (add_custom_columns(this->db(), kSalesColumns, custom, file_id())) {
            rebuild_sales_view(this->db(), read_custom_columns(this->db(), kSalesColumns));
        }
        if (spec.mode == LoadMode::full) {
            // Readers on other connections keep seeing the old lines until COMMIT (WAL snapshot).
            drop_indexes();
            this->db().exec("DELETE FROM sale_lines");
        } else {
            // Maintaining the indexes costs random b-tree inserts per row (~80 us a row measured
            // with 1M lines); rebuilding them costs a sort of the whole table (~4 us per line in
            // it). Maintain them for small loads, and switch once the load has added a twentieth
            // of the table (ski rental: never much worse than the better choice made knowing
            // the file's length). An empty table switches at once.
            const int64_t existing =
                this->db().query_int64("SELECT max(id) - min(id) + 1 FROM sale_lines", 0);
            drop_indexes_at_ = static_cast<uint64_t>(existing) / 20;
            if (drop_indexes_at_ == 0) drop_indexes();
        }

        std::string sql =
            "INSERT INTO sale_lines (file_id, order_id, ts, customer, item, price, quantity";
        std::string params = "?1, ?2, ?3, ?4, ?5, ?6, ?7";
        int index = 8;
        for (const auto& column : custom) {
            sql += ", " + quote_identifier(column.name);
            params += ", ?" + std::to_string(index++);
            custom_types_.push_back(column.type);
        }
        sql += ") VALUES (" + params + ")";
        insert_ = Statement(this->db(), sql);
        insert_.bind_int64(1, file_id());
    }

    void append(const Value* values) override {
        check_open();
        if (rows_ == drop_indexes_at_) drop_indexes();
        for (size_t c = 0; c < 5; ++c) {
            if (!values[c].present) {
                fail_row(std::string("no value for the required column '") + kRequired[c] + "'");
            }
        }
        sqlite3_stmt* st = insert_.get();
        const Value& quantity = values[5];
        int rc = bind_text_static(st, 2, values[0].s);
        rc |= sqlite3_bind_int64(st, 3, values[1].i);
        rc |= sqlite3_bind_int64(st, 4, encode_customer(values[2].u));
        rc |= bind_text_static(st, 5, values[3].s);
        rc |= sqlite3_bind_int64(st, 6, values[4].i);
        rc |= sqlite3_bind_int64(st, 7, quantity.present ? quantity.i : kOneMillionth);
        rc |= bind_custom_values(st, 8, custom_types_,
                                 values + sightline::plugin::sales_fixed_columns);
        if (rc != SQLITE_OK) fail_insert(st, rc);
        rc = sqlite3_step(st);
        if (rc != SQLITE_DONE) fail_insert(st, rc);
        sqlite3_reset(st);
        ++rows_;
    }

private:
    void drop_indexes() {
        drop_sale_line_indexes(db());
        indexes_dropped_ = true;
        drop_indexes_at_ = kNever;
    }

    void before_commit() override {
        if (indexes_dropped_) create_sale_line_indexes(db());
    }

    static constexpr uint64_t kNever = ~uint64_t{0};

    Statement insert_;
    std::vector<ValueType> custom_types_;
    uint64_t drop_indexes_at_ = kNever;  // rows_ at which append() drops the indexes
    bool indexes_dropped_ = false;
};

}  // namespace

std::unique_ptr<sightline::plugin::LoadTransaction> begin_sales_load(std::shared_ptr<Connection> db,
                                                                     const LoadSpec& spec) {
    return std::make_unique<SalesLoad>(std::move(db), spec);
}

}  // namespace sightline::target_sqlite
