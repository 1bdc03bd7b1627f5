// The tenant's data version (plugin API 1.5), read from the bookkeeping tables in one statement.
#pragma once

#include <pqxx/transaction_base>

#include "sightline/plugin/target.hpp"

namespace sightline::target_pg {

// incarnation: the id schema step 2 stored; removals: recorded deletions plus loaded full uploads
// of sales; mark: the newest files id visible to tx (0 without files). Files ids follow commit
// order because every writer of files (loads, record()) takes the tenant's writer lock before
// its id is drawn from the sequence and holds it until it commits. Reads only small tables.
sightline::plugin::DataVersion read_data_version(pqxx::transaction_base& tx);

}  // namespace sightline::target_pg
