#include "copy_stream.hpp"

#include "sightline/plugin/api.hpp"
#include "sql_text.hpp"

namespace sightline::target_pg {

using sightline::plugin::Error;

namespace {

std::string result_error(PGresult* result, PGconn* pg, bool& transient) {
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    transient = PQstatus(pg) != CONNECTION_OK || (state && transient_sqlstate(state));
    std::string message = result ? PQresultErrorMessage(result) : "";
    if (message.empty()) message = PQerrorMessage(pg);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
        message.pop_back();
    }
    return message;
}

}  // namespace

void CopyStream::start(Connection& connection, const std::string& copy_sql) {
    connection_ = &connection;
    PGconn* pg = connection.raw();
    PGresult* result = PQexec(pg, copy_sql.c_str());
    if (PQresultStatus(result) != PGRES_COPY_IN) {
        bool transient = false;
        const std::string message = result_error(result, pg, transient);
        PQclear(result);
        throw Error("cannot start COPY into the " + connection.label() + " database: " + message,
                    transient);
    }
    PQclear(result);
    pg_ = pg;
    buffer_.clear();
    buffer_.reserve(kChunk + 4096);
    first_field_ = true;
}

void CopyStream::text(std::string_view value) {
    separate();
    size_t start = 0;
    for (size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        char escaped;
        switch (c) {
            case '\\':
                escaped = '\\';
                break;
            case '\t':
                escaped = 't';
                break;
            case '\n':
                escaped = 'n';
                break;
            case '\r':
                escaped = 'r';
                break;
            default:
                continue;
        }
        buffer_.append(value.data() + start, i - start);
        buffer_.push_back('\\');
        buffer_.push_back(escaped);
        start = i + 1;
    }
    buffer_.append(value.data() + start, value.size() - start);
}

void CopyStream::millionths(int64_t value) {
    separate();
    append_millionths(buffer_, value);
}

void CopyStream::timestamp(int64_t micros) {
    separate();
    append_timestamp(buffer_, micros);
}

void CopyStream::uint64(uint64_t value) {
    separate();
    append_uint64(buffer_, value);
}

void CopyStream::int64(int64_t value) {
    separate();
    append_int64(buffer_, value);
}

void CopyStream::end_row() {
    buffer_.push_back('\n');
    first_field_ = true;
    if (buffer_.size() >= kChunk) flush();
}

void CopyStream::flush() {
    if (buffer_.empty()) return;
    if (PQputCopyData(pg_, buffer_.data(), static_cast<int>(buffer_.size())) != 1) {
        fail("cannot send rows");
    }
    buffer_.clear();  // keeps its capacity
}

void CopyStream::fail(const std::string& what) {
    bool transient = false;
    const std::string message = result_error(nullptr, pg_, transient);
    const std::string label = connection_->label();
    abort();
    throw Error(what + " to the " + label + " database: " + message, transient);
}

void CopyStream::finish() {
    flush();
    if (PQputCopyEnd(pg_, nullptr) != 1) fail("cannot end COPY");
    PGconn* pg = pg_;
    pg_ = nullptr;
    std::string failure;
    bool transient = false;
    while (PGresult* result = PQgetResult(pg)) {
        if (PQresultStatus(result) != PGRES_COMMAND_OK && failure.empty()) {
            failure = result_error(result, pg, transient);
            if (failure.empty()) failure = "COPY failed";
        }
        PQclear(result);
    }
    if (failure.empty() && PQstatus(pg) != CONNECTION_OK) {
        failure = PQerrorMessage(pg);
        transient = true;
    }
    if (!failure.empty()) {
        throw Error("the " + connection_->label() + " database refused the rows: " + failure,
                    transient);
    }
}

void CopyStream::abort() noexcept {
    if (!pg_) return;
    PGconn* pg = pg_;
    pg_ = nullptr;
    buffer_.clear();
    if (PQstatus(pg) != CONNECTION_OK) return;
    if (PQputCopyEnd(pg, "load abandoned") == 1) {
        while (PGresult* result = PQgetResult(pg)) PQclear(result);
    }
}

}  // namespace sightline::target_pg
