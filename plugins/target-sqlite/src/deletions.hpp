// Selective deletion (plugin API 1.1): removing sales lines by customers, orders or a time range,
// and the `deletions` table that records each one (counts only, never the ids).
#pragma once

#include <vector>

#include "db.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::target_sqlite {

// Counts the matching lines and, unless request.dry_run, deletes them and records the deletion,
// all in one transaction. The caller must not have a transaction open on db.
sightline::plugin::DeletionResult delete_lines(Connection& db,
                                               const sightline::plugin::DeletionRequest& request);

// Every recorded deletion, oldest first.
std::vector<sightline::plugin::DeletionRecord> read_deletions(Connection& db);

}  // namespace sightline::target_sqlite
