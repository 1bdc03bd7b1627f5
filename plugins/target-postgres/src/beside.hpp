// Build beside, then swap (plugin API 1.6) for the PostgreSQL-family targets: a restore --replace
// fills a schema of the tenant's own database beside the tenant's tables, then one transaction
// drops the tenant's relations and moves the beside schema's relations in their place.
//
// Why a schema and not another database renamed over the tenant's: renaming or dropping a
// database needs every other session of it gone, and `serve` keeps pooled sessions; DDL is
// transactional, so the schema swap is all or nothing, and the pooled sessions simply see the
// new tables from their next statement (their cached plans are invalidated with the old tables).
// Why move the relations rather than rename the schemas: the tenant's tables live in `public`,
// which on PostgreSQL before 15 and on Greenplum belongs to the bootstrap superuser, so the
// tenant role may not rename it; it may create and drop relations in it.
#pragma once

#include "connection.hpp"

namespace sightline::target_pg {

// The schema a restore fills. Tenant data never lives there otherwise.
inline constexpr const char* kBesideSchema = "sightline_beside";

// Drops any beside schema (a killed run's), creates an empty one and points the session's
// search_path at it, so that migrate() and every statement of the store work in it.
void create_beside_schema(Connection& connection);

// In one transaction, under the writer lock: checks that the beside schema is complete, drops
// every relation of the session's current schema (the tenant's), moves every relation of the
// beside schema there and drops the then empty beside schema. Throws Error with nothing changed
// when any step fails.
void swap_beside_schema(Connection& connection);

// Drops the beside schema with whatever it holds, if there is one.
void drop_beside_schema(Connection& connection);

}  // namespace sightline::target_pg
