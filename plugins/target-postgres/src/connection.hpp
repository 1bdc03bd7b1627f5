// A libpqxx connection that also exposes its libpq handle (for COPY without a copy of every row,
// and for client-side password hashing), and the translation of libpqxx failures into
// sightline::plugin::Error with the transient flag the host retries on.
#pragma once

#include <libpq-fe.h>

#include <pqxx/pqxx>
#include <string>

namespace sightline::target_pg {

class Connection : public pqxx::connection_base {
public:
    // conninfo: libpq keyword/value string (see conninfo.hpp). label names the database in
    // messages ("tenant 'acme'", "admin"). Throws Error (transient) when the server cannot be
    // reached or refuses the login.
    Connection(const std::string& conninfo, std::string label);
    ~Connection() noexcept;

    // The libpq handle of the live connection; throws Error (transient) when there is none.
    PGconn* raw() const;
    // False once the server has closed the connection: reads what it sent meanwhile (a
    // terminated session's notice and end of stream) without waiting and without a round trip.
    bool alive() noexcept;
    const std::string& label() const { return label_; }

    // Set while a LoadTransaction owns the connection.
    bool load_active = false;

private:
    // connect_direct, remembering the handle it opens (pqxx 6 keeps it private).
    class Policy final : public pqxx::connect_direct {
    public:
        explicit Policy(const std::string& options) : connect_direct(options) {}
        handle do_startconnect(handle orig) override;
        handle do_dropconnect(handle orig) noexcept override;
        handle do_disconnect(handle orig) noexcept override;
        PGconn* current = nullptr;
    };
    Policy policy_;
    std::string label_;
};

// Call inside a catch block: rethrows the current exception as Error("<context>: ...").
// Connection loss, a server restart or shutdown, an unknown commit outcome, serialization
// failures, deadlocks, lock timeouts and resource shortages are transient.
[[noreturn]] void rethrow_as_error(const std::string& context);

// Whether a SQLSTATE means "try again later".
bool transient_sqlstate(const std::string& sqlstate);

}  // namespace sightline::target_pg
