#include "custom_columns.hpp"

#include <algorithm>

#include "sightline/plugin/load_spec.hpp"

namespace sightline::target_sqlite {

using sightline::plugin::Column;
using sightline::plugin::Error;
using sightline::plugin::ValueType;

const ColumnRegistry kSalesColumns{"custom_columns", "sale_lines", "custom columns"};
const ColumnRegistry kCatalogColumns{"catalog_custom_columns", "catalog_items",
                                     "catalog custom columns"};

namespace {

const char* sql_type(ValueType type) { return type == ValueType::string ? "TEXT" : "INTEGER"; }

}  // namespace

std::string quote_identifier(const std::string& name) { return "\"" + name + "\""; }

std::vector<Column> read_custom_columns(Connection& db, const ColumnRegistry& registry) {
    Statement st(
        db, std::string("SELECT name, type FROM ") + registry.registry_table + " ORDER BY rowid");
    std::vector<Column> columns;
    while (st.step()) {
        std::string name = st.column_string(0);
        const ValueType type = sightline::plugin::custom_type_named(st.column_text(1), name);
        columns.push_back(Column{std::move(name), type});
    }
    return columns;
}

bool add_custom_columns(Connection& db, const ColumnRegistry& registry,
                        const std::vector<Column>& wanted, int64_t file_id) {
    const std::vector<Column> existing = read_custom_columns(db, registry);
    const std::vector<Column> missing =
        sightline::plugin::new_custom_columns(existing, wanted, registry.what);
    if (missing.empty()) return false;

    Statement insert(db, std::string("INSERT INTO ") + registry.registry_table +
                             " (name, type, first_file_id) VALUES (?1, ?2, ?3)");
    for (const auto& column : missing) {
        db.exec(std::string("ALTER TABLE ") + registry.data_table + " ADD COLUMN " +
                quote_identifier(column.name) + " " + sql_type(column.type));
        insert.reset();
        insert.bind_text(1, column.name);
        insert.bind_text(2, sightline::plugin::to_string(column.type));
        insert.bind_int64(3, file_id);
        insert.step();
    }
    return true;
}

}  // namespace sightline::target_sqlite
