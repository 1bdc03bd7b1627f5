#include "load_base.hpp"

#include "ddl.hpp"
#include "files_table.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::target_pg {

using sightline::plugin::Error;
using sightline::plugin::FileRecord;
using sightline::plugin::FileResult;
using sightline::plugin::Value;
using sightline::plugin::ValueType;

LoadBase::LoadBase(std::shared_ptr<Connection> connection, const Dialect& dialect,
                   sightline::plugin::FileKind kind, sightline::plugin::LoadMode mode)
    : connection_(std::move(connection)), dialect_(dialect), kind_(kind), mode_(mode) {
    if (connection_->load_active) {
        throw Error("a load is already open on this " + connection_->label() +
                    " store; commit or destroy it first, or open another store");
    }
    try {
        tx_ = std::make_unique<pqxx::work>(*connection_);
        connection_->load_active = true;
        // One writer per tenant at a time (loads, deletions): a full upload must not drop lines
        // that an incremental load commits meanwhile.
        tx_->exec("SELECT pg_advisory_xact_lock(" + std::to_string(kWriterLockKey) + ")");
        file_id_ = insert_loading_file(*tx_, kind, mode);
        file_id_text_ = std::to_string(file_id_);
    } catch (...) {
        end();
        rethrow_as_error("cannot start a load in the " + connection_->label() + " database");
    }
}

LoadBase::~LoadBase() {
    if (state_ != State::committed) end();
}

void LoadBase::end() noexcept {
    copy_.abort();
    try {
        tx_.reset();  // aborts an open transaction; the server rolls back a lost one itself
    } catch (...) {
    }
    connection_->load_active = false;
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

void LoadBase::fail_append() {
    state_ = State::failed;
    rethrow_as_error("record " + std::to_string(rows_ + 1) + " of the file could not be sent");
}

void LoadBase::write_custom(const std::vector<ValueType>& types, const Value* values) {
    for (size_t c = 0; c < types.size(); ++c) {
        const Value& value = values[c];
        if (!value.present) {
            copy_.null();
            continue;
        }
        switch (types[c]) {
            case ValueType::string:
                copy_.text(value.s);
                break;
            case ValueType::decimal:
                copy_.millionths(value.i);
                break;
            case ValueType::timestamp:
                copy_.timestamp(value.i);
                break;
            case ValueType::uint64:
                copy_.uint64(value.u);
                break;
            case ValueType::int64:
                copy_.int64(value.i);
                break;
        }
    }
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
        copy_.finish();
        before_commit();
        finish_loading_file(*tx_, file_id_, record, rows_);
        tx_->commit();
    } catch (...) {
        state_ = State::failed;
        rethrow_as_error("cannot commit the load of '" + record.name + "' in the " +
                         connection_->label() + " database");
    }
    state_ = State::committed;
    tx_.reset();
    connection_->load_active = false;
}

}  // namespace sightline::target_pg
