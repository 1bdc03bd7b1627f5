// Registries of custom columns (s_, i_, f_, d_). Each data table that grows columns as files bring
// them has a registry table listing them in order of first appearance, with the file that
// introduced them; the sales and the catalog registries are separate.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "db.hpp"
#include "sightline/plugin/data.hpp"
#include "sightline/plugin/load_spec.hpp"

namespace sightline::target_sqlite {

constexpr size_t kMaxCustomColumns = sightline::plugin::max_custom_columns_per_tenant;

struct ColumnRegistry {
    const char* registry_table;  // e.g. custom_columns
    const char* data_table;      // the table that gets the columns, e.g. sale_lines
    const char* what;            // for messages: "custom columns", "catalog custom columns"
};

extern const ColumnRegistry kSalesColumns;
extern const ColumnRegistry kCatalogColumns;

// The registered columns, oldest first.
std::vector<sightline::plugin::Column> read_custom_columns(Connection& db,
                                                           const ColumnRegistry& registry);

// Adds (ALTER TABLE ... ADD COLUMN) every column of `wanted` that the registry lacks, recording
// file_id as the file that introduced it. Must run inside the load's transaction. Returns whether
// it added any. Throws Error "tenant has reached 100 custom columns ..." past the limit.
bool add_custom_columns(Connection& db, const ColumnRegistry& registry,
                        const std::vector<sightline::plugin::Column>& wanted, int64_t file_id);

std::string quote_identifier(const std::string& name);

}  // namespace sightline::target_sqlite
