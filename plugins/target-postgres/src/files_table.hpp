// The `files` table: the tenant's file history.
#pragma once

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <vector>

#include "sightline/plugin/data.hpp"

namespace sightline::target_pg {

// A placeholder row (result 'loading') for a load that is starting, inside its transaction; its
// id tags the loaded rows. finish_loading_file() turns it into the final record at commit.
int64_t insert_loading_file(pqxx::transaction_base& tx, sightline::plugin::FileKind kind,
                            sightline::plugin::LoadMode mode);
void finish_loading_file(pqxx::transaction_base& tx, int64_t id,
                         const sightline::plugin::FileRecord& record, uint64_t rows);
void insert_file(pqxx::transaction_base& tx, const sightline::plugin::FileRecord& record);

std::optional<sightline::plugin::FileRecord> find_loaded_file(pqxx::transaction_base& tx,
                                                              const std::string& sha256);
std::vector<sightline::plugin::FileRecord> read_files(pqxx::transaction_base& tx);

}  // namespace sightline::target_pg
