#include "files_table.hpp"

#include "sightline/plugin/api.hpp"

namespace sightline::target_pg {

using sightline::plugin::Error;
using sightline::plugin::FileKind;
using sightline::plugin::FileRecord;
using sightline::plugin::FileResult;
using sightline::plugin::LoadMode;

namespace {

constexpr const char* kColumns = "name, sha256, kind, mode, result, at_us, rows, bytes, detail";

FileResult parse_result(const std::string& text) {
    if (text == "loaded") return FileResult::loaded;
    if (text == "duplicate") return FileResult::duplicate;
    if (text == "refused") return FileResult::refused;
    throw Error("files table holds an unknown result '" + text + "'");
}

FileRecord read_record(const pqxx::row& row) {
    FileRecord record;
    record.name = row[0].as<std::string>();
    record.sha256 = row[1].as<std::string>();
    record.kind = row[2].as<std::string>() == "catalog" ? FileKind::catalog : FileKind::sales;
    record.mode = row[3].as<std::string>() == "full" ? LoadMode::full : LoadMode::incremental;
    record.result = parse_result(row[4].as<std::string>());
    record.at_us = row[5].as<int64_t>();
    record.rows = static_cast<uint64_t>(row[6].as<int64_t>());
    record.bytes = static_cast<uint64_t>(row[7].as<int64_t>());
    record.detail = row[8].as<std::string>();
    return record;
}

}  // namespace

int64_t insert_loading_file(pqxx::transaction_base& tx, FileKind kind, LoadMode mode) {
    return tx
        .exec_params1(std::string("INSERT INTO files (") + kColumns +
                          ") VALUES ('', '', $1, $2, 'loading', 0, 0, 0, '') RETURNING id",
                      std::string(to_string(kind)), std::string(to_string(mode)))[0]
        .as<int64_t>();
}

void finish_loading_file(pqxx::transaction_base& tx, int64_t id, const FileRecord& record,
                         uint64_t rows) {
    tx.exec_params(
        "UPDATE files SET name = $1, sha256 = $2, kind = $3, mode = $4, result = $5, at_us = $6, "
        "rows = $7, bytes = $8, detail = $9 WHERE id = $10",
        record.name, record.sha256, std::string(to_string(record.kind)),
        std::string(to_string(record.mode)), std::string(to_string(record.result)), record.at_us,
        static_cast<int64_t>(rows), static_cast<int64_t>(record.bytes), record.detail, id);
}

void insert_file(pqxx::transaction_base& tx, const FileRecord& record) {
    tx.exec_params(std::string("INSERT INTO files (") + kColumns +
                       ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                   record.name, record.sha256, std::string(to_string(record.kind)),
                   std::string(to_string(record.mode)), std::string(to_string(record.result)),
                   record.at_us, static_cast<int64_t>(record.rows),
                   static_cast<int64_t>(record.bytes), record.detail);
}

std::optional<FileRecord> find_loaded_file(pqxx::transaction_base& tx, const std::string& sha256) {
    const pqxx::result rows = tx.exec_params(
        std::string("SELECT ") + kColumns +
            " FROM files WHERE sha256 = $1 AND result = 'loaded' ORDER BY id LIMIT 1",
        sha256);
    if (rows.empty()) return std::nullopt;
    return read_record(rows[0]);
}

std::vector<FileRecord> read_files(pqxx::transaction_base& tx) {
    const pqxx::result rows = tx.exec(std::string("SELECT ") + kColumns +
                                      " FROM files WHERE result <> 'loading' ORDER BY id");
    std::vector<FileRecord> records;
    for (const auto& row : rows) records.push_back(read_record(row));
    return records;
}

}  // namespace sightline::target_pg
