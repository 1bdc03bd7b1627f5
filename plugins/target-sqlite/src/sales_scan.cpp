#include "sales_scan.hpp"

#include <vector>

#include "custom_columns.hpp"
#include "customer_key.hpp"
#include "data_version.hpp"

namespace sightline::target_sqlite {

using sightline::plugin::Column;
using sightline::plugin::Value;

namespace {

void stream_lines(Connection& db, uint64_t after_mark, const std::vector<Column>& custom,
                  const std::function<void(const Value* row)>& fn) {
    std::string sql = "SELECT order_id, ts, customer, item, price, quantity";
    for (const auto& column : custom) sql += ", " + quote_identifier(column.name);
    sql += " FROM sale_lines";
    // Lines of later files: a filter on the rowid-ordered walk, no index (sale_lines has none
    // on file_id, and each one costs every load).
    if (after_mark > 0) sql += " WHERE file_id > ?1";
    sql += " ORDER BY id";
    Statement st(db, sql);
    if (after_mark > 0) st.bind_int64(1, static_cast<int64_t>(after_mark));

    std::vector<Value> row(sightline::plugin::sales_fixed_columns + custom.size());
    for (auto& value : row) value.present = true;
    while (st.step()) {
        row[0].s = st.column_text(0);
        row[1].i = st.column_int64(1);
        row[2].u = decode_customer(st.column_int64(2));
        row[3].s = st.column_text(3);
        row[4].i = st.column_int64(4);
        row[5].i = st.column_int64(5);
        for (size_t c = 0; c < custom.size(); ++c) {
            const int column = static_cast<int>(sightline::plugin::sales_fixed_columns + c);
            Value& value = row[sightline::plugin::sales_fixed_columns + c];
            value = Value{};
            if (st.is_null(column)) continue;
            value.present = true;
            if (custom[c].type == sightline::plugin::ValueType::string) {
                value.s = st.column_text(column);
            } else {
                value.i = st.column_int64(column);
            }
        }
        fn(row.data());
    }
}

}  // namespace

void scan_sale_lines(Connection& db, uint64_t after_mark, sightline::plugin::SalesScan* out,
                     const std::function<void(const Value* row)>& fn) {
    // The version, the column list and the lines must come from one snapshot: one transaction.
    const bool own_transaction = !db.in_transaction();
    if (own_transaction) db.exec("BEGIN");
    try {
        std::vector<Column> custom;
        if (out) {
            out->version = read_data_version(db);
            out->custom = read_custom_columns(db, kSalesColumns);
            stream_lines(db, after_mark, out->custom, fn);
        } else {
            custom = read_custom_columns(db, kSalesColumns);
            stream_lines(db, after_mark, custom, fn);
        }
    } catch (...) {
        if (own_transaction) rollback_quietly(db);
        throw;
    }
    if (own_transaction) db.exec("COMMIT");
}

}  // namespace sightline::target_sqlite
