// The tenant database's schema: creation, migrations, the secondary indexes of sale_lines and the
// human-readable `sales` view. README.md documents the resulting layout.
#pragma once

#include <vector>

#include "db.hpp"
#include "sightline/plugin/data.hpp"

namespace sightline::target_sqlite {

// 1: the initial layout; 2: the deletions table (plugin API 1.1); 3: the incarnation table of
// data versions (plugin API 1.5).
constexpr int kSchemaVersion = 3;

// Brings the database to kSchemaVersion. Cheap when it is current (a read, no write lock), so
// opening a store never waits for a load running elsewhere. Throws Error for a database written
// by a newer plugin.
void migrate(Connection& db);

// Secondary indexes of sale_lines. A load into an empty table drops them and builds them once at
// the end, which is several times faster than maintaining them row by row.
void drop_sale_line_indexes(Connection& db);
void create_sale_line_indexes(Connection& db);

// Recreates the `sales` view so that it shows every custom column, decoded to text.
void rebuild_sales_view(Connection& db, const std::vector<sightline::plugin::Column>& custom);

}  // namespace sightline::target_sqlite
