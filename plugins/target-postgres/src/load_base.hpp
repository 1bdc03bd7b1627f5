// What every load shares: the transaction (with the tenant's writer lock), the placeholder
// `files` row, the COPY stream, the commit protocol and rollback on destruction.
#pragma once

#include <cstdint>
#include <memory>
#include <pqxx/transaction>
#include <string>
#include <vector>

#include "connection.hpp"
#include "copy_stream.hpp"
#include "dialect.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::target_pg {

class LoadBase : public sightline::plugin::LoadTransaction {
public:
    ~LoadBase() override;
    LoadBase(const LoadBase&) = delete;
    LoadBase& operator=(const LoadBase&) = delete;

    void commit(const sightline::plugin::FileRecord& record) final;

protected:
    // Opens the transaction, waits for the tenant's other writers, inserts the files row.
    LoadBase(std::shared_ptr<Connection> connection, const Dialect& dialect,
             sightline::plugin::FileKind kind, sightline::plugin::LoadMode mode);

    // Inside the transaction, after the COPY ended and before the files row is finalized.
    virtual void before_commit() {}

    void check_open() const {
        if (state_ != State::open) throw_not_open();
    }
    // Marks the load failed and throws an Error about the current row.
    [[noreturn]] void fail_row(const std::string& reason);
    // In a catch block: marks the load failed and rethrows as Error about the current row.
    [[noreturn]] void fail_append();

    // Writes the custom-column values of a row, by type.
    void write_custom(const std::vector<sightline::plugin::ValueType>& types,
                      const sightline::plugin::Value* values);

    Connection& connection() { return *connection_; }
    pqxx::work& tx() { return *tx_; }
    const Dialect& dialect() const { return dialect_; }
    int64_t file_id() const { return file_id_; }

    CopyStream copy_;
    std::string file_id_text_;  // formatted once: every sales row carries it
    uint64_t rows_ = 0;

private:
    enum class State { open, failed, committed };
    [[noreturn]] void throw_not_open() const;
    void end() noexcept;

    std::shared_ptr<Connection> connection_;
    const Dialect& dialect_;
    std::unique_ptr<pqxx::work> tx_;
    sightline::plugin::FileKind kind_;
    sightline::plugin::LoadMode mode_;
    int64_t file_id_ = 0;
    State state_ = State::open;
};

// Starts the load of one file. Throws Error when the spec does not begin with the fixed columns
// of its kind, when a custom column is invalid or over the limit, or when a load is already open
// on this connection.
std::unique_ptr<sightline::plugin::LoadTransaction> begin_load(
    std::shared_ptr<Connection> connection, const Dialect& dialect,
    const sightline::plugin::LoadSpec& spec);

}  // namespace sightline::target_pg
