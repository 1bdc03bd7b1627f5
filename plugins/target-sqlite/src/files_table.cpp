#include "files_table.hpp"

#include "sightline/plugin/api.hpp"

namespace sightline::target_sqlite {

using sightline::plugin::Error;
using sightline::plugin::FileKind;
using sightline::plugin::FileRecord;
using sightline::plugin::FileResult;
using sightline::plugin::LoadMode;

namespace {

constexpr const char* kColumns = "name, sha256, kind, mode, result, at_us, rows, bytes, detail";

FileKind parse_kind(std::string_view text) {
    return text == "catalog" ? FileKind::catalog : FileKind::sales;
}

LoadMode parse_mode(std::string_view text) {
    return text == "full" ? LoadMode::full : LoadMode::incremental;
}

FileResult parse_result(std::string_view text) {
    if (text == "loaded") return FileResult::loaded;
    if (text == "duplicate") return FileResult::duplicate;
    if (text == "refused") return FileResult::refused;
    throw Error("files table holds an unknown result '" + std::string(text) + "'");
}

// Binds ?1..?9 in kColumns order.
void bind_record(Statement& st, const FileRecord& record, uint64_t rows) {
    st.bind_text(1, record.name);
    st.bind_text(2, record.sha256);
    st.bind_text(3, sightline::plugin::to_string(record.kind));
    st.bind_text(4, sightline::plugin::to_string(record.mode));
    st.bind_text(5, sightline::plugin::to_string(record.result));
    st.bind_int64(6, record.at_us);
    st.bind_int64(7, static_cast<int64_t>(rows));
    st.bind_int64(8, static_cast<int64_t>(record.bytes));
    st.bind_text(9, record.detail);
}

FileRecord read_record(const Statement& st) {
    FileRecord record;
    record.name = st.column_string(0);
    record.sha256 = st.column_string(1);
    record.kind = parse_kind(st.column_text(2));
    record.mode = parse_mode(st.column_text(3));
    record.result = parse_result(st.column_text(4));
    record.at_us = st.column_int64(5);
    record.rows = static_cast<uint64_t>(st.column_int64(6));
    record.bytes = static_cast<uint64_t>(st.column_int64(7));
    record.detail = st.column_string(8);
    return record;
}

}  // namespace

int64_t insert_loading_file(Connection& db, FileKind kind, LoadMode mode) {
    Statement st(db, std::string("INSERT INTO files (") + kColumns +
                         ") VALUES ('', '', ?1, ?2, 'loading', 0, 0, 0, '')");
    st.bind_text(1, sightline::plugin::to_string(kind));
    st.bind_text(2, sightline::plugin::to_string(mode));
    st.step();
    return db.last_insert_rowid();
}

void finish_loading_file(Connection& db, int64_t id, const FileRecord& record, uint64_t rows) {
    Statement st(db,
                 "UPDATE files SET name = ?1, sha256 = ?2, kind = ?3, mode = ?4, result = ?5, "
                 "at_us = ?6, rows = ?7, bytes = ?8, detail = ?9 WHERE id = ?10");
    bind_record(st, record, rows);
    st.bind_int64(10, id);
    st.step();
}

int64_t insert_file(Connection& db, const FileRecord& record) {
    Statement st(db, std::string("INSERT INTO files (") + kColumns +
                         ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    bind_record(st, record, record.rows);
    st.step();
    return db.last_insert_rowid();
}

std::optional<FileRecord> find_loaded_file(Connection& db, const std::string& sha256) {
    Statement st(db, std::string("SELECT ") + kColumns +
                         " FROM files WHERE sha256 = ?1 AND result = 'loaded' ORDER BY id LIMIT 1");
    st.bind_text(1, sha256);
    if (!st.step()) return std::nullopt;
    return read_record(st);
}

std::vector<FileRecord> read_files(Connection& db) {
    Statement st(db, std::string("SELECT ") + kColumns +
                         " FROM files WHERE result <> 'loading' ORDER BY id");
    std::vector<FileRecord> records;
    while (st.step()) records.push_back(read_record(st));
    return records;
}

}  // namespace sightline::target_sqlite
