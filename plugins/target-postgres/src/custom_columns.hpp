// Registries of custom columns (s_, i_, f_, d_), as in the sqlite target: one registry table per
// data table, listing the columns in order of first appearance with the file that brought them.
#pragma once

#include <cstdint>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "sightline/plugin/data.hpp"
#include "sightline/plugin/load_spec.hpp"

namespace sightline::target_pg {

constexpr size_t kMaxCustomColumns = sightline::plugin::max_custom_columns_per_tenant;

struct ColumnRegistry {
    const char* registry_table;  // custom_columns | catalog_custom_columns
    const char* data_table;      // sale_lines | catalog_items
    const char* what;            // for messages
};

extern const ColumnRegistry kSalesColumns;
extern const ColumnRegistry kCatalogColumns;

std::vector<sightline::plugin::Column> read_custom_columns(pqxx::transaction_base& tx,
                                                           const ColumnRegistry& registry);

// Registers every column of `wanted` the registry lacks (file_id brought it) and, with
// alter_table, adds it to the data table. Returns whether any was new. Throws Error past
// kMaxCustomColumns.
bool add_custom_columns(pqxx::transaction_base& tx, const ColumnRegistry& registry,
                        const std::vector<sightline::plugin::Column>& wanted, int64_t file_id,
                        bool alter_table);

}  // namespace sightline::target_pg
