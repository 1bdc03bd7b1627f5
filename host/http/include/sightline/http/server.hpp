// The host's internal HTTP(S) listener (Boost.Beast over Asio, OpenSSL): the `api:` section of a
// profile (docs/api.md). Per connection: the peer must be in the allow-list (else the connection
// is closed at once), at most max_per_address from its address and max_connections in all (when
// full, one waiting for a request is closed to admit the new one: connection_table.hpp), TLS 1.2+
// when on, a whole request within read_timeout_ms (else the connection is closed), bodies up to
// max_body_bytes (else 413). Connections cost no thread: two threads do all the network work.
// Per request: a bearer token (401), its tenants only (403), then the route's handler on a
// worker pool, so evaluations run side by side. Every request is logged as "api.request" (never
// the path, the query, the body or the token: the route pattern and what the handler adds).
// With settings.client_ca (the `reports:` listener), mutual TLS replaces tokens: a client
// certificate from that CA is required, its subject must be one of trusted_hosts and a {tenant}
// in the route one the host reaches; every refusal is logged as "report.refused".
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sightline/core/event_log.hpp"
#include "sightline/core/profile.hpp"
#include "sightline/http/router.hpp"

namespace sightline::http {

namespace detail {
struct ServerState;
}

class Server {
public:
    // Reads the certificate and key when TLS is on; throws std::runtime_error naming the
    // problem (unreadable certificate, key not matching it).
    Server(core::ApiSettings settings, Router router, core::EventLog& log);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds every listen address and starts serving; throws std::runtime_error when an address
    // cannot be bound.
    void start();
    // Stops accepting, closes connections, waits for running handlers. Idempotent.
    void stop();
    // The bound addresses ("127.0.0.1:8470"), after start (port 0 becomes the real port).
    std::vector<std::string> endpoints() const;
    // SIGHUP: takes the new tokens, allow-list, trusted hosts and certificates (new connections
    // get the new TLS context; connections in progress keep theirs). Listen addresses, threads,
    // limits, and turning TLS or mutual TLS on or off need a restart: returns what changed of
    // those (empty when everything was applied) and logs it ("api.reloaded"). Throws
    // std::runtime_error, leaving the running settings as they were, when a new certificate,
    // key, CA file or network cannot be used.
    std::vector<std::string> reload(const core::ApiSettings& settings);

    // One request given as the bytes a client sent, handled as a connection handles it but
    // without a socket (the fuzz target tests/fuzz/http_request): parsed with the listener's
    // limits (16 KiB of header, limits.max_body_bytes), then authenticated, routed and
    // answered; the first request only. The allow-list, TLS and timeouts act on connections and
    // do not apply. nullopt: the connection would be closed without an answer (an incomplete
    // request). A streamed response comes with its next_chunk still to be drained.
    std::optional<Response> handle_bytes(std::string_view bytes, const std::string& peer);

private:
    std::unique_ptr<detail::ServerState> impl_;
};

}  // namespace sightline::http
