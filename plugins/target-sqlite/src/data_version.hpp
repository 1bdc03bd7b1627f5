// The tenant's data version (plugin API 1.5), read from the bookkeeping tables in one statement.
#pragma once

#include "db.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::target_sqlite {

// incarnation: the id the schema step 3 stored; removals: recorded deletions plus loaded full
// uploads of sales; mark: the newest files id (0 without files). Files ids grow in commit order:
// every writer holds the database's write lock (BEGIN IMMEDIATE) before it inserts its files row
// and until it commits, and rows are never removed from files, so a later file never gets a
// smaller id. Reads only small tables: never sale_lines.
sightline::plugin::DataVersion read_data_version(Connection& db);

}  // namespace sightline::target_sqlite
