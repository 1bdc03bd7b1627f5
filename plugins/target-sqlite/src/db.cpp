#include "db.hpp"

#include <cerrno>
#include <filesystem>
#include <utility>

#include "sightline/plugin/api.hpp"

namespace sightline::target_sqlite {

using sightline::plugin::Error;

namespace {

bool is_busy(int rc) {
    const int primary = rc & 0xff;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

// What the operating system said about the failed write: SQLite reports ENOSPC as SQLITE_FULL,
// and a quota as an I/O error whose errno tells.
const char* space_problem(sqlite3* db, int rc) {
    if ((rc & 0xff) == SQLITE_FULL) return "no space left on device";
    if ((rc & 0xff) != SQLITE_IOERR || !db) return nullptr;
    const int error = sqlite3_system_errno(db);
    if (error == ENOSPC) return "no space left on device";
    if (error == EDQUOT) return "disk quota exceeded";
    return nullptr;
}

}  // namespace

Connection::Connection(const std::string& path, std::string label)
    : label_(std::move(label)), folder_(std::filesystem::path(path).parent_path().string()) {
    // NOMUTEX: a connection belongs to one TenantStore, which is used by one thread at a time;
    // SQLite's per-call mutex would cost ~10 lock round trips per appended row.
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = "sqlite: cannot open " + label_ + " database " + path + ": " +
                              (db_ ? reason(rc) : std::string(sqlite3_errstr(rc)));
        const bool retry = transient(rc);
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw Error(message, retry);
    }
    sqlite3_extended_result_codes(db_, 1);
}

Connection::~Connection() {
    if (db_) {
        rollback_quietly(*this);
        sqlite3_close_v2(db_);
    }
}

void Connection::fail(int rc, std::string_view action) const {
    std::string message = "sqlite: ";
    message += action;
    message += " failed for ";
    message += label_;
    message += ": ";
    message += reason(rc);
    throw Error(message, transient(rc));
}

std::string Connection::reason(int rc) const {
    if (const char* problem = space_problem(db_, rc))
        return std::string(problem) + " in " + folder_ + " (" + sqlite3_errmsg(db_) + ")";
    return sqlite3_errmsg(db_);
}

bool Connection::transient(int rc) const {
    // A full disk gets room again (an operator, a cleanup, a quota raised): the upload is fine.
    return is_busy(rc) || space_problem(db_, rc) != nullptr;
}

void Connection::exec(std::string_view sql) {
    const std::string text(sql);
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) fail(rc, text.size() > 60 ? text.substr(0, 60) + "..." : text);
}

int64_t Connection::query_int64(std::string_view sql, int64_t fallback) {
    Statement st(*this, sql);
    if (!st.step() || st.is_null(0)) return fallback;
    return st.column_int64(0);
}

std::string Connection::query_text(std::string_view sql) {
    Statement st(*this, sql);
    if (!st.step() || st.is_null(0)) return {};
    return st.column_string(0);
}

void rollback_quietly(Connection& db) noexcept {
    if (db.get() && db.in_transaction())
        sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
}

Statement::Statement(Connection& db, std::string_view sql) : db_(&db) {
    const char* tail = nullptr;
    const int rc =
        sqlite3_prepare_v2(db.get(), sql.data(), static_cast<int>(sql.size()), &stmt_, &tail);
    if (rc != SQLITE_OK) {
        db.fail(rc, "prepare of \"" + std::string(sql.substr(0, 80)) + "\"");
    }
    if (!stmt_) throw Error("sqlite: empty SQL statement for " + db.label());
    // A second statement in the text would be silently ignored; refuse it instead. Preparing the
    // tail yields no statement when it holds only white space, semicolons or comments.
    const char* end = sql.data() + sql.size();
    if (tail && tail < end) {
        sqlite3_stmt* extra = nullptr;
        const int tail_rc =
            sqlite3_prepare_v2(db.get(), tail, static_cast<int>(end - tail), &extra, nullptr);
        sqlite3_finalize(extra);
        if (tail_rc != SQLITE_OK || extra) {
            sqlite3_finalize(stmt_);
            stmt_ = nullptr;
            throw Error("sqlite: one SQL statement at a time, please (for " + db.label() + ")");
        }
    }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(stmt_);
        db_ = other.db_;
        stmt_ = std::exchange(other.stmt_, nullptr);
    }
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    // No reset here: sqlite3_errmsg still describes the failed step, and callers reset or
    // finalize the statement anyway.
    db_->fail(rc, "statement");
}

void Statement::reset() { sqlite3_reset(stmt_); }

void Statement::check_bind(int rc, int index) {
    if (rc != SQLITE_OK) db_->fail(rc, "bind of parameter " + std::to_string(index));
}

void Statement::bind_int64(int index, int64_t value) {
    check_bind(sqlite3_bind_int64(stmt_, index, value), index);
}

void Statement::bind_text(int index, std::string_view text) {
    // A null data pointer would bind NULL, not an empty string.
    const char* data = text.data() ? text.data() : "";
    check_bind(sqlite3_bind_text(stmt_, index, data, static_cast<int>(text.size()), SQLITE_STATIC),
               index);
}

void Statement::bind_null(int index) { check_bind(sqlite3_bind_null(stmt_, index), index); }

bool Statement::is_null(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t Statement::column_int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string_view Statement::column_text(int column) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    if (!text) return {};
    return {text, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
}

}  // namespace sightline::target_sqlite
