// COPY ... FROM STDIN in text format, written straight through libpq: rows are formatted into
// one reused buffer and sent in 64 KiB chunks, so the hot path allocates nothing per row.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "connection.hpp"

namespace sightline::target_pg {

class CopyStream {
public:
    CopyStream() = default;
    ~CopyStream() { abort(); }
    CopyStream(const CopyStream&) = delete;
    CopyStream& operator=(const CopyStream&) = delete;

    // Sends the COPY statement on the connection (inside its open transaction).
    void start(Connection& connection, const std::string& copy_sql);
    bool active() const { return pg_ != nullptr; }

    // Fields of the current row, in the statement's column order.
    void text(std::string_view value);  // escapes \ tab newline carriage-return
    void null() {
        separate();
        buffer_.append("\\N");
    }
    void millionths(int64_t value);
    void timestamp(int64_t micros);
    void uint64(uint64_t value);
    void int64(int64_t value);
    void verbatim(std::string_view already_safe) {
        separate();
        buffer_.append(already_safe);
    }
    // Ends the row; sends the buffer when it is full.
    void end_row();

    // Sends the rest and ends the COPY; throws Error with the server's reason (transient when the
    // connection was lost) if it failed.
    void finish();
    // Ends a COPY that will not be committed; never throws.
    void abort() noexcept;

private:
    void separate() {
        if (!first_field_) buffer_.push_back('\t');
        first_field_ = false;
    }
    void flush();
    [[noreturn]] void fail(const std::string& what);

    static constexpr size_t kChunk = 64 * 1024;
    Connection* connection_ = nullptr;
    PGconn* pg_ = nullptr;
    std::string buffer_;
    bool first_field_ = true;
};

}  // namespace sightline::target_pg
