#include "ddl.hpp"

#include "sightline/plugin/api.hpp"
#include "sql_text.hpp"

namespace sightline::target_pg {

using sightline::plugin::Column;
using sightline::plugin::DeletionScope;
using sightline::plugin::Error;
using sightline::plugin::ValueType;

namespace {

struct IndexDef {
    const char* suffix;
    const char* columns;
};

// The access paths of the segment language, as in the sqlite target: per customer and order,
// time windows, purchased items. No redundant index: each one costs load time.
constexpr IndexDef kSaleLineIndexes[] = {
    {"_customer_order", "customer, order_id, ts"},
    {"_ts", "ts"},
    {"_item", "item"},
};

std::string references(const Dialect& dialect, const char* target) {
    return dialect.declares_foreign_keys() ? std::string(" REFERENCES ") + target : "";
}

std::string custom_column_list(const std::vector<Column>& custom) {
    std::string out;
    for (const auto& column : custom) out += ", " + quote_identifier(column.name);
    return out;
}

std::string registry_table(const Dialect& dialect, const char* name) {
    return std::string("CREATE TABLE ") + name +
           " (\n"
           "    position      bigserial NOT NULL,  -- order of first appearance\n"
           "    name          text PRIMARY KEY,\n"
           "    type          text NOT NULL,       -- string | integer | decimal | timestamp\n"
           "    first_file_id bigint NOT NULL" +
           references(dialect, "files (id)") + "\n)" + dialect.small_table_clause("name");
}

std::string condition(DeletionScope scope) {
    switch (scope) {
        case DeletionScope::customers:
            return "customer = ANY ($1::numeric[])";
        case DeletionScope::orders:
            return "order_id = ANY ($1::text[])";
        case DeletionScope::time_range:
            return "ts >= $1::timestamptz AND ts < $2::timestamptz";
    }
    throw Error("unknown deletion scope");
}

}  // namespace

const char* sql_type(ValueType type) {
    switch (type) {
        case ValueType::string:
            return "text";
        case ValueType::int64:
            return "bigint";
        case ValueType::decimal:
            return "numeric(18,6)";
        case ValueType::timestamp:
            return "timestamptz";
        case ValueType::uint64:
            return "numeric(20,0)";
    }
    return "text";
}

std::vector<std::string> migration_statements(const Dialect& dialect, int version) {
    if (version == 2) {
        // Plugin API 1.5: the incarnation of data_version(), one row that migrate() fills with a
        // random id when it runs this step (a new database, or once after an upgrade).
        return {"CREATE TABLE incarnation (id text NOT NULL)" +
                dialect.small_table_clause(nullptr)};
    }
    if (version != 1) throw Error("no migration step to schema version " + std::to_string(version));
    std::vector<std::string> out = {
        "CREATE TABLE schema_version (version integer NOT NULL)" +
            dialect.small_table_clause(nullptr),
        "CREATE TABLE files (\n"
        "    id     bigserial PRIMARY KEY,\n"
        "    name   text NOT NULL,\n"
        "    sha256 text NOT NULL,\n"
        "    kind   text NOT NULL,    -- sales | catalog\n"
        "    mode   text NOT NULL,    -- incremental | full\n"
        "    result text NOT NULL,    -- loading (inside a load only) | loaded | duplicate | "
        "refused\n"
        "    at_us  bigint NOT NULL,  -- µs since the epoch, UTC\n"
        "    rows   bigint NOT NULL,\n"
        "    bytes  bigint NOT NULL,\n"
        "    detail text NOT NULL\n)" +
            dialect.small_table_clause("id"),
        "CREATE INDEX files_sha256 ON files (sha256)",
        registry_table(dialect, "custom_columns"),
        registry_table(dialect, "catalog_custom_columns"),
        // Not owned by a table: it outlives the sale lines tables that full uploads swap in.
        "CREATE SEQUENCE sale_line_ids",
        create_sale_lines_table(dialect, "sale_lines", {}),
    };
    for (auto& statement : create_sale_line_indexes("sale_lines")) out.push_back(statement);
    out.push_back(
        "CREATE TABLE catalog_items (\n"
        "    item     text PRIMARY KEY,\n"
        "    category text NOT NULL,  -- canonical: levels joined by '>', paths by '|'\n"
        "    title    text,\n"
        "    brand    text\n)" +
        dialect.small_table_clause("item"));
    out.push_back(
        "CREATE TABLE catalog_categories (\n"
        "    item text NOT NULL" +
        references(dialect, "catalog_items (item)") +
        ",\n"
        "    path text NOT NULL,  -- one category path of the item, e.g. 'Shoes>Running'\n"
        "    PRIMARY KEY (item, path)\n)" +
        dialect.small_table_clause("item"));
    out.push_back("CREATE INDEX catalog_categories_path ON catalog_categories (path, item)");
    out.push_back(
        "CREATE TABLE deletions (\n"
        "    seq           bigserial NOT NULL,  -- order of the deletions\n"
        "    id            text PRIMARY KEY,\n"
        "    scope         text NOT NULL,       -- customers | orders | time_range\n"
        "    reason        text NOT NULL,\n"
        "    operator_name text NOT NULL,\n"
        "    at_us         bigint NOT NULL,\n"
        "    lines         bigint NOT NULL,\n"
        "    orders        bigint NOT NULL,\n"
        "    customers     bigint NOT NULL,\n"
        "    revenue       numeric NOT NULL\n)" +
        dialect.small_table_clause("id"));
    for (auto& statement : recreate_sales_view({})) out.push_back(statement);
    return out;
}

std::string create_sale_lines_table(const Dialect& dialect, const std::string& table,
                                    const std::vector<Column>& custom) {
    std::string sql = "CREATE TABLE " + quote_identifier(table) +
                      " (\n"
                      "    id       bigint NOT NULL DEFAULT nextval('sale_line_ids'),  -- "
                      "insertion order\n"
                      "    file_id  bigint NOT NULL,\n"
                      "    order_id text NOT NULL,\n"
                      "    ts       timestamptz NOT NULL,\n"
                      "    customer numeric(20,0) NOT NULL\n"
                      "             CHECK (customer >= 0 AND customer <= 18446744073709551615),\n"
                      "    item     text NOT NULL,\n"
                      "    price    numeric(18,6) NOT NULL,\n"
                      "    quantity numeric(18,6) NOT NULL";
    for (const auto& column : custom) {
        sql += ",\n    " + quote_identifier(column.name) + " " + sql_type(column.type);
    }
    return sql + "\n)" + dialect.sales_table_clause();
}

std::vector<std::string> create_sale_line_indexes(const std::string& table) {
    std::vector<std::string> out;
    for (const auto& index : kSaleLineIndexes) {
        out.push_back("CREATE INDEX " + quote_identifier(table + index.suffix) + " ON " +
                      quote_identifier(table) + " (" + index.columns + ")");
    }
    return out;
}

std::vector<std::string> swap_sale_lines(const std::string& new_table,
                                         const std::vector<Column>& custom) {
    std::vector<std::string> out = {
        "DROP VIEW IF EXISTS sales",
        "DROP TABLE sale_lines",
        "ALTER TABLE " + quote_identifier(new_table) + " RENAME TO sale_lines",
    };
    for (const auto& index : kSaleLineIndexes) {
        out.push_back("ALTER INDEX " + quote_identifier(new_table + index.suffix) + " RENAME TO " +
                      quote_identifier(std::string("sale_lines") + index.suffix));
    }
    auto view = recreate_sales_view(custom);
    out.push_back(view.back());
    return out;
}

std::vector<std::string> recreate_sales_view(const std::vector<Column>& custom) {
    return {"DROP VIEW IF EXISTS sales",
            "CREATE VIEW sales AS SELECT id, file_id, order_id AS \"order\", ts AS \"timestamp\", "
            "customer, item, price, quantity" +
                custom_column_list(custom) + " FROM sale_lines"};
}

std::string add_column(const char* table, const Column& column) {
    return std::string("ALTER TABLE ") + table + " ADD COLUMN " + quote_identifier(column.name) +
           " " + sql_type(column.type);
}

std::string copy_sales(const std::string& table, const std::vector<Column>& custom) {
    return "COPY " + quote_identifier(table) +
           " (file_id, order_id, ts, customer, item, price, quantity" + custom_column_list(custom) +
           ") FROM STDIN";
}

std::string copy_catalog_items(const std::vector<Column>& custom) {
    return "COPY catalog_items (item, category, title, brand" + custom_column_list(custom) +
           ") FROM STDIN";
}

std::string fill_catalog_categories() {
    // DISTINCT: "A|A" names one category, not two.
    return "INSERT INTO catalog_categories (item, path) SELECT DISTINCT item, path FROM (SELECT "
           "item, unnest(string_to_array(category, '|')) AS path FROM catalog_items) AS paths "
           "WHERE path <> ''";
}

std::string deletion_count(DeletionScope scope) {
    const std::string where = " FROM sale_lines WHERE " + condition(scope);
    return "SELECT count(*), (SELECT count(*) FROM (SELECT DISTINCT customer, order_id" + where +
           ") AS orders), count(DISTINCT customer), sum(price)" + where;
}

std::string deletion_delete(DeletionScope scope) {
    return "DELETE FROM sale_lines WHERE " + condition(scope);
}

}  // namespace sightline::target_pg
