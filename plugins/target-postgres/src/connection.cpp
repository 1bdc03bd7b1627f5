#include "connection.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include <pqxx/except>

#include "sightline/plugin/api.hpp"

namespace sightline::target_pg {

using sightline::plugin::Error;

Connection::Policy::handle Connection::Policy::do_startconnect(handle orig) {
    current = connect_direct::do_startconnect(orig);
    return current;
}

Connection::Policy::handle Connection::Policy::do_dropconnect(handle orig) noexcept {
    current = nullptr;
    return connect_direct::do_dropconnect(orig);
}

namespace {

// The server counts a session until its backend has exited, which happens after libpq has
// already closed its end. A store closed to make room in the connection budget must be gone from
// the server before its replacement opens, or the server sees one connection more than the
// budget. The backend closes the socket as it exits (after leaving pg_stat_activity), so reading
// a duplicate of the socket to its end waits for exactly that; bounded, as a close must not hang.
void wait_for_server_close(int fd) {
    constexpr int kMaxWaitMs = 250;
    char sink[256];
    pollfd p{fd, POLLIN, 0};
    while (::poll(&p, 1, kMaxWaitMs) > 0) {
        const ssize_t n = ::recv(fd, sink, sizeof sink, MSG_DONTWAIT);
        if (n == 0) return;
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return;
    }
}

}  // namespace

Connection::Policy::handle Connection::Policy::do_disconnect(handle orig) noexcept {
    current = nullptr;
    const int fd = orig != nullptr && PQstatus(orig) == CONNECTION_OK ? ::dup(PQsocket(orig)) : -1;
    handle result = connect_direct::do_disconnect(orig);
    if (fd >= 0) {
        wait_for_server_close(fd);
        ::close(fd);
    }
    return result;
}

// The base is constructed with a reference to policy_, which is initialized afterwards: the
// same order pqxx::basic_connection_base uses (the base only stores the reference until init()).
Connection::Connection(const std::string& conninfo, std::string label)
    : pqxx::connection_base(policy_), policy_(conninfo), label_(std::move(label)) {
    try {
        init();
    } catch (...) {
        rethrow_as_error("cannot connect to the " + label_ + " database");
    }
}

Connection::~Connection() noexcept { close(); }

PGconn* Connection::raw() const {
    if (policy_.current == nullptr || PQstatus(policy_.current) != CONNECTION_OK) {
        throw Error("the connection to the " + label_ + " database was lost", true);
    }
    return policy_.current;
}

bool Connection::alive() noexcept {
    PGconn* c = policy_.current;
    if (c == nullptr || PQstatus(c) != CONNECTION_OK) return false;
    // A server that shut down (a restart) sends a FATAL message and closes the socket. libpq reads
    // the message first (while idle it only passes it to the notice processor) and sees the end of
    // the stream only on its next read, so one PQconsumeInput still says CONNECTION_OK: read and
    // parse what arrived, then peek at the socket for the end of stream. libpq's socket is
    // non-blocking and MSG_DONTWAIT never waits: no round trip, no wait.
    for (int round = 0; round < 8; ++round) {
        if (PQconsumeInput(c) == 0) return false;
        PQisBusy(c);  // parses what was read
        if (PQstatus(c) != CONNECTION_OK) return false;
        char byte = 0;
        const ssize_t n = ::recv(PQsocket(c), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        if (n == 0) return false;  // closed by the server
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) break;
            return false;
        }
        // More bytes wait (a TLS record libpq has not read yet): another round reads them.
    }
    return PQstatus(c) == CONNECTION_OK && PQtransactionStatus(c) == PQTRANS_IDLE;
}

bool transient_sqlstate(const std::string& sqlstate) {
    if (sqlstate.size() != 5) return false;
    const std::string cls = sqlstate.substr(0, 2);
    return cls == "08"              // connection exception
           || cls == "53"           // insufficient resources (too many connections, disk full)
           || cls == "57"           // operator intervention: shutdown, terminated backend
           || sqlstate == "40001"   // serialization failure
           || sqlstate == "40P01"   // deadlock
           || sqlstate == "55P03"   // lock not available
           || sqlstate == "58000";  // system error (I/O)
}

void rethrow_as_error(const std::string& context) {
    try {
        throw;
    } catch (const Error& e) {
        throw Error(context + ": " + e.what(), e.transient());
    } catch (const pqxx::broken_connection& e) {
        throw Error(context + ": connection lost: " + e.what(), true);
    } catch (const pqxx::in_doubt_error& e) {
        throw Error(
            context + ": the outcome of the commit is unknown (connection lost): " + e.what(),
            true);
    } catch (const pqxx::sql_error& e) {
        throw Error(context + ": " + e.what(), transient_sqlstate(e.sqlstate()));
    } catch (const std::exception& e) {
        throw Error(context + ": " + e.what());
    }
}

}  // namespace sightline::target_pg
