// What every load shares: the write transaction, the placeholder `files` row the loaded rows
// reference, the commit protocol and rollback on destruction.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "db.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::target_sqlite {

class LoadBase : public sightline::plugin::LoadTransaction {
public:
    ~LoadBase() override;
    LoadBase(const LoadBase&) = delete;
    LoadBase& operator=(const LoadBase&) = delete;

    void commit(const sightline::plugin::FileRecord& record) final;

protected:
    // Opens the transaction and inserts the placeholder files row.
    LoadBase(std::shared_ptr<Connection> db, sightline::plugin::FileKind kind,
             sightline::plugin::LoadMode mode);

    // Work that must happen inside the transaction right before the files row is finalized.
    virtual void before_commit() {}

    // Throws unless rows may still be appended.
    void check_open() const {
        if (state_ != State::open) throw_not_open();
    }
    // Marks the load failed (commit() will refuse) and throws an Error about the current row.
    [[noreturn]] void fail_row(const std::string& reason);
    // The same for a failed sqlite3_step() of an insert; the statement is reset.
    [[noreturn]] void fail_insert(sqlite3_stmt* statement, int rc);

    Connection& db() { return *db_; }
    int64_t file_id() const { return file_id_; }
    uint64_t rows_ = 0;

private:
    enum class State { open, failed, committed };
    [[noreturn]] void throw_not_open() const;
    // Rolls back what is not committed and restores the connection's settings.
    void end_transaction() noexcept;

    std::shared_ptr<Connection> db_;
    sightline::plugin::FileKind kind_;
    sightline::plugin::LoadMode mode_;
    int64_t file_id_ = 0;
    State state_ = State::open;
};

// Sets every parameter from `first` on of a prepared insert from custom-column values; strings
// are bound without copying. Returns the OR of the sqlite3_bind_* results (0 when all succeeded).
int bind_custom_values(sqlite3_stmt* statement, int first,
                       const std::vector<sightline::plugin::ValueType>& types,
                       const sightline::plugin::Value* values);

// sqlite3_bind_text without a copy; a present empty value binds '' (a null pointer would bind
// NULL).
inline int bind_text_static(sqlite3_stmt* statement, int index, std::string_view text) {
    return sqlite3_bind_text(statement, index, text.data() ? text.data() : "",
                             static_cast<int>(text.size()), SQLITE_STATIC);
}

}  // namespace sightline::target_sqlite
