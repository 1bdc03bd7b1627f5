// Thin RAII wrappers over the SQLite C API that turn every failure into sightline::plugin::Error.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace sightline::target_sqlite {

class Connection;

// One prepared statement. Text accessors return views that stay valid until the next step(),
// reset() or destruction, as SQLite documents for sqlite3_column_text().
class Statement {
public:
    Statement() = default;  // no statement yet; assign a prepared one before use
    Statement(Connection& db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;

    // true: a row is available; false: done. Throws Error on failure.
    bool step();
    void reset();

    // Parameter indexes are 1-based, as in SQLite.
    void bind_int64(int index, int64_t value);
    void bind_text(int index, std::string_view text);  // SQLITE_STATIC: text must outlive step()
    void bind_null(int index);

    // Column indexes are 0-based, as in SQLite.
    bool is_null(int column) const;
    int64_t column_int64(int column) const;
    std::string_view column_text(int column) const;
    std::string column_string(int column) const { return std::string(column_text(column)); }

    sqlite3_stmt* get() const { return stmt_; }
    Connection& connection() const { return *db_; }

private:
    void check_bind(int rc, int index);

    Connection* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
};

class Connection {
public:
    // label names the database in error messages (e.g. "tenant 'acme'").
    Connection(const std::string& path, std::string label);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    sqlite3* get() const { return db_; }
    const std::string& label() const { return label_; }

    // Run one or more statements that return no rows the caller needs.
    void exec(std::string_view sql);
    // Run a statement that returns one row with one integer column (NULL reads as fallback).
    int64_t query_int64(std::string_view sql, int64_t fallback = 0);
    std::string query_text(std::string_view sql);
    int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
    bool in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

    // Throws Error for a failed call: the message names the database, the action and SQLite's
    // explanation; busy/locked databases and a full disk are marked transient so the host
    // retries later.
    [[noreturn]] void fail(int rc, std::string_view action) const;
    // SQLite's explanation of a failed call, led by the cause an operator acts on when the
    // database's disk is full: "no space left on device in <folder>".
    std::string reason(int rc) const;
    // Worth retrying later without a change to the upload: busy, locked, or out of space.
    bool transient(int rc) const;

    // Set while a LoadTransaction owns the connection's write transaction.
    bool load_active = false;

private:
    sqlite3* db_ = nullptr;
    std::string label_;
    std::string folder_;  // where the database and its WAL live, for "no space left" messages
};

// Executes "ROLLBACK" if the connection is still inside a transaction; never throws (used on
// cleanup paths, where SQLite may already have rolled back on its own).
void rollback_quietly(Connection& db) noexcept;

}  // namespace sightline::target_sqlite
