// Connection strings. The admin DSN (libpq keyword/value or URI) is parsed by libpq itself; the
// tenant connection keeps its host, port, TLS and timeout settings and replaces the login.
#pragma once

#include <string>

namespace sightline::target_pg {

struct Login {
    std::string user, password, dbname;
};

// The libpq keyword/value string for a connection made from admin_dsn: with `login` when it is
// not null (replacing user, password, passfile and dbname), connect_timeout when admin_dsn has
// none, and the session settings every connection of this library uses (client_encoding UTF8,
// TimeZone UTC, DateStyle ISO). Throws Error if admin_dsn does not parse; the message never
// repeats the DSN (it may hold a password).
std::string connection_string(const std::string& admin_dsn, const Login* login,
                              int connect_timeout_s, const std::string& application_name);

}  // namespace sightline::target_pg
