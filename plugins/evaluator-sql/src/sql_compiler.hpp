// The rule tree of a segment (sightline/plugin/segment.hpp) compiled to ONE SQL statement of a
// target's dialect, with every value a bound parameter (see README.md for the shapes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sightline/plugin/data.hpp"
#include "sightline/plugin/segment.hpp"

namespace sightline::evaluator_sql {

enum class Dialect : uint8_t { sqlite, postgresql, greenplum };

const char* to_string(Dialect dialect);
// Target::dialect() names: "sqlite", "postgresql", "greenplum".
std::optional<Dialect> dialect_named(std::string_view name);

// One bound parameter: text (s_ values, items, categories; on the PostgreSQL family also
// instants and decimals, cast in the SQL) or a 64-bit integer.
struct Param {
    bool is_text = false;
    std::string text;
    int64_t number = 0;
};

struct CompileInput {
    Dialect dialect = Dialect::sqlite;
    int64_t as_of_us = 0;
    int64_t active_days = 90;
    int64_t inactive_days = 365;
    // The store's custom columns (TenantStore::custom_columns()); only read for field rules.
    std::vector<plugin::Column> custom_columns;
};

struct CompiledQuery {
    // One statement with one column: the stored customer, ascending and unique. Empty when the
    // result is known to be empty without asking the database (e.g. an unknown field).
    std::string sql;
    std::vector<Param> params;  // ?1, ?2, ... (SQLite) or $1, $2, ... (PostgreSQL family)
    std::vector<std::string> warnings;
    // The parameters as TenantStore::query() takes them; they point into `params`, so they are
    // valid while this object lives unchanged.
    std::vector<plugin::Value> values() const;
};

// Throws plugin::Error for a rule the host should have refused (e.g. `prefix` on a number).
CompiledQuery compile(const plugin::segment::Rule& rule, const CompileInput& input);

// The customer id of a result row from the stored column (SqlRow::get_int64): SQLite stores it
// with the sign bit flipped, the PostgreSQL family returns the numeric's bits.
uint64_t decode_customer(Dialect dialect, int64_t stored);

// Whether the rule (or any rule under it) is a field rule, i.e. needs custom_columns().
bool uses_fields(const plugin::segment::Rule& rule);

}  // namespace sightline::evaluator_sql
