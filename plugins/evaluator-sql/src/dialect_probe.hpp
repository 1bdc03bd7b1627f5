// Which SQL dialect a TenantStore speaks, asked of the store itself (see README.md "Dialect").
#pragma once

#include "sightline/plugin/target.hpp"
#include "sql_compiler.hpp"

namespace sightline::evaluator_sql {

// One statement valid on every supported target, `SELECT CAST(1 = 1 AS TEXT)`: SQLite answers
// '1' (booleans are integers), the PostgreSQL family 'true'. On the latter, `SELECT version()`
// names Greenplum (or Apache Cloudberry, its successor). Throws plugin::Error otherwise.
Dialect detect_dialect(plugin::TenantStore& store);

}  // namespace sightline::evaluator_sql
