#include "load_base.hpp"

#include "files_table.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::target_sqlite {

using sightline::plugin::Error;
using sightline::plugin::FileRecord;
using sightline::plugin::FileResult;
using sightline::plugin::Value;
using sightline::plugin::ValueType;

LoadBase::LoadBase(std::shared_ptr<Connection> db, sightline::plugin::FileKind kind,
                   sightline::plugin::LoadMode mode)
    : db_(std::move(db)), kind_(kind), mode_(mode) {
    if (db_->load_active || db_->in_transaction()) {
        throw Error("a load is already open on this " + db_->label() +
                    " store; commit or destroy it first, or open another store");
    }
    // Loads are the only writers of sale_lines and catalog_categories, and every row they insert
    // references the files row (or the item) inserted just before, so the references hold by
    // construction. Checking them per row costs ~10% of the insert time, and with foreign keys on
    // SQLite deletes all lines of a full load row by row instead of clearing the table. The
    // pragma cannot change inside a transaction: switch it off before BEGIN, on after the end.
    db_->exec("PRAGMA foreign_keys = OFF");
    try {
        // IMMEDIATE takes the write lock now: a second writer waits (busy_timeout) or fails here,
        // before any row is sent, instead of at the first insert.
        db_->exec("BEGIN IMMEDIATE");
        db_->load_active = true;
        file_id_ = insert_loading_file(*db_, kind, mode);
    } catch (...) {
        end_transaction();
        throw;
    }
}

LoadBase::~LoadBase() {
    if (state_ != State::committed) end_transaction();
}

void LoadBase::end_transaction() noexcept {
    rollback_quietly(*db_);
    sqlite3_exec(db_->get(), "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
    db_->load_active = false;
}

void LoadBase::throw_not_open() const {
    throw Error(state_ == State::committed
                    ? "the load of this file was already committed"
                    : "the load of this file failed earlier; nothing of it will be committed");
}

void LoadBase::fail_row(const std::string& reason) {
    state_ = State::failed;
    throw Error("record " + std::to_string(rows_ + 1) + " of the file: " + reason);
}

void LoadBase::fail_insert(sqlite3_stmt* statement, int rc) {
    state_ = State::failed;
    const std::string reason = db_->reason(rc);
    const bool transient = db_->transient(rc);
    sqlite3_reset(statement);
    throw Error("record " + std::to_string(rows_ + 1) + " of the file could not be stored in the " +
                    db_->label() + " database: " + reason,
                transient);
}

void LoadBase::commit(const FileRecord& record) {
    check_open();
    if (record.result != FileResult::loaded || record.kind != kind_ || record.mode != mode_) {
        state_ = State::failed;
        throw Error(std::string("commit of a ") + to_string(kind_) + " " + to_string(mode_) +
                    " load needs a record with result loaded and the same kind and mode (got " +
                    to_string(record.kind) + " " + to_string(record.mode) + " " +
                    to_string(record.result) + ")");
    }
    try {
        before_commit();
        finish_loading_file(*db_, file_id_, record, rows_);
        db_->exec("COMMIT");
    } catch (...) {
        state_ = State::failed;
        throw;
    }
    state_ = State::committed;
    end_transaction();
}

int bind_custom_values(sqlite3_stmt* statement, int first, const std::vector<ValueType>& types,
                       const Value* values) {
    int rc = 0;
    for (size_t c = 0; c < types.size(); ++c) {
        const int index = first + static_cast<int>(c);
        const Value& value = values[c];
        if (!value.present) {
            rc |= sqlite3_bind_null(statement, index);
        } else if (types[c] == ValueType::string) {
            rc |= bind_text_static(statement, index, value.s);
        } else {
            rc |= sqlite3_bind_int64(statement, index, value.i);
        }
    }
    return rc;
}

}  // namespace sightline::target_sqlite
