#include "custom_columns.hpp"

#include <algorithm>

#include "ddl.hpp"
#include "sightline/plugin/load_spec.hpp"

namespace sightline::target_pg {

using sightline::plugin::Column;
using sightline::plugin::Error;
using sightline::plugin::ValueType;

const ColumnRegistry kSalesColumns{"custom_columns", "sale_lines", "custom columns"};
const ColumnRegistry kCatalogColumns{"catalog_custom_columns", "catalog_items",
                                     "catalog custom columns"};

std::vector<Column> read_custom_columns(pqxx::transaction_base& tx,
                                        const ColumnRegistry& registry) {
    const pqxx::result rows = tx.exec(std::string("SELECT name, type FROM ") +
                                      registry.registry_table + " ORDER BY position");
    std::vector<Column> columns;
    for (const auto& row : rows) {
        std::string name = row[0].as<std::string>();
        const ValueType type = sightline::plugin::custom_type_named(row[1].as<std::string>(), name);
        columns.push_back(Column{std::move(name), type});
    }
    return columns;
}

bool add_custom_columns(pqxx::transaction_base& tx, const ColumnRegistry& registry,
                        const std::vector<Column>& wanted, int64_t file_id, bool alter_table) {
    const std::vector<Column> existing = read_custom_columns(tx, registry);
    const std::vector<Column> missing =
        sightline::plugin::new_custom_columns(existing, wanted, registry.what);
    if (missing.empty()) return false;
    for (const auto& column : missing) {
        if (alter_table) tx.exec(add_column(registry.data_table, column));
        tx.exec_params(std::string("INSERT INTO ") + registry.registry_table +
                           " (name, type, first_file_id) VALUES ($1, $2, $3)",
                       column.name, std::string(sightline::plugin::to_string(column.type)),
                       file_id);
    }
    return true;
}

}  // namespace sightline::target_pg
