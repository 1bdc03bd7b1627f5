// Every SQL text the library generates, built from one definition per table and the Dialect's
// clauses. Pure functions of their arguments: tests/golden/*.sql pin their output per dialect.
#pragma once

#include <string>
#include <vector>

#include "dialect.hpp"
#include "sightline/plugin/data.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::target_pg {

// 1: the initial layout; 2: the incarnation table of data versions (plugin API 1.5).
constexpr int kSchemaVersion = 2;

// The key of the transaction-level advisory lock that serializes a tenant's writers (loads,
// deletions, migrations). Advisory locks are per database, so tenants never contend.
constexpr long long kWriterLockKey = 0x5349474854;  // "SIGHT"

// Column type of a value type: text, bigint, numeric(18,6), timestamptz, numeric(20,0).
const char* sql_type(sightline::plugin::ValueType type);

// The statements of migration step `version` (1-based): version 1 creates every table, the
// sale_lines indexes and the sales view; version 2 the incarnation table (migrate() then inserts
// its row, a random id made by the plugin: no server function needed on any dialect).
std::vector<std::string> migration_statements(const Dialect& dialect, int version);

std::string create_sale_lines_table(const Dialect& dialect, const std::string& table,
                                    const std::vector<sightline::plugin::Column>& custom);
// The secondary indexes of a sale lines table, named <table>_customer_order, <table>_ts,
// <table>_item.
std::vector<std::string> create_sale_line_indexes(const std::string& table);

// The swap at the end of a full upload, in one transaction: the view, the old table, the rename
// of the new table and its indexes, the view again.
std::vector<std::string> swap_sale_lines(const std::string& new_table,
                                         const std::vector<sightline::plugin::Column>& custom);
// DROP VIEW IF EXISTS sales; CREATE VIEW sales AS ... with the sqlite target's column names.
std::vector<std::string> recreate_sales_view(const std::vector<sightline::plugin::Column>& custom);

std::string add_column(const char* table, const sightline::plugin::Column& column);

std::string copy_sales(const std::string& table,
                       const std::vector<sightline::plugin::Column>& custom);
std::string copy_catalog_items(const std::vector<sightline::plugin::Column>& custom);
// Splits every item's canonical category into one row per path ("A>B|C" -> "A>B", "C").
std::string fill_catalog_categories();

// Selective deletion: the counts of the lines a request matches ($1, or $1 and $2 for a time
// range), then their removal.
std::string deletion_count(sightline::plugin::DeletionScope scope);
std::string deletion_delete(sightline::plugin::DeletionScope scope);

}  // namespace sightline::target_pg
