// Bringing a tenant database to kSchemaVersion (ddl.hpp holds the statements).
#pragma once

#include "connection.hpp"
#include "dialect.hpp"

namespace sightline::target_pg {

// Cheap when the schema is current (one read, no lock), so opening a store never waits for a
// running load. Otherwise takes the tenant's writer lock and runs the missing steps in one
// transaction. Throws Error for a database written by a newer plugin.
void migrate(Connection& connection, const Dialect& dialect);

}  // namespace sightline::target_pg
