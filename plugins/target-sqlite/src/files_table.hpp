// The `files` table: the tenant's file history, and the parent of every sales line.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "db.hpp"
#include "sightline/plugin/data.hpp"

namespace sightline::target_sqlite {

// Inserts a placeholder row (result 'loading') for a load that is starting, inside its
// transaction, and returns its id: the rows of the load reference it. finish_loading_file()
// turns it into the final record at commit; a rollback removes both together.
int64_t insert_loading_file(Connection& db, sightline::plugin::FileKind kind,
                            sightline::plugin::LoadMode mode);
void finish_loading_file(Connection& db, int64_t id, const sightline::plugin::FileRecord& record,
                         uint64_t rows);

int64_t insert_file(Connection& db, const sightline::plugin::FileRecord& record);

// The first file loaded with these bytes.
std::optional<sightline::plugin::FileRecord> find_loaded_file(Connection& db,
                                                              const std::string& sha256);

// Every file with a decided result, oldest first.
std::vector<sightline::plugin::FileRecord> read_files(Connection& db);

}  // namespace sightline::target_sqlite
