#include "sightline/http/server.hpp"

#include <openssl/crypto.h>
#include <openssl/ssl.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <mutex>
#include <optional>
#include <thread>

#include "sightline/core/sha256.hpp"

namespace sightline::http {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr size_t kHeaderLimit = 16 * 1024;
constexpr auto kWriteTimeout = std::chrono::seconds(30);
// After an error response that closes the connection (413, 400), what the client still sends is
// read and dropped for a moment, so that closing does not reset the connection before the client
// has read the response.
constexpr auto kLingerTimeout = std::chrono::seconds(2);
constexpr size_t kLingerBytes = 64u << 20;
constexpr int kIoThreads = 2;

// Mozilla's "intermediate" TLS 1.2 suites (forward secrecy, AEAD only); TLS 1.3 uses OpenSSL's.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

std::array<uint8_t, 16> address_bytes(const net::ip::address& a) {
    std::array<uint8_t, 16> out{};
    if (a.is_v4()) {
        out[10] = out[11] = 0xff;
        const auto b = a.to_v4().to_bytes();
        std::copy(b.begin(), b.end(), out.begin() + 12);
    } else {
        const auto b = a.to_v6().to_bytes();
        std::copy(b.begin(), b.end(), out.begin());
    }
    return out;
}

std::string address_text(const net::ip::address& a) {
    if (a.is_v6() && a.to_v6().is_v4_mapped())
        return net::ip::make_address_v4(net::ip::v4_mapped, a.to_v6()).to_string();
    return a.to_string();
}

std::string endpoint_text(const tcp::endpoint& ep) {
    const auto a = ep.address();
    return (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" +
           std::to_string(ep.port());
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool is_parse_error(const beast::error_code& ec) {
    return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
           ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

}  // namespace

namespace detail {

struct ServerState {
    ServerState(core::ApiSettings s, Router r, core::EventLog& l)
        : settings(std::move(s)), router(std::move(r)), log(l) {}
    ~ServerState() { stop(); }

    // Declared so that destruction runs: acceptors, io context (and the sessions its queue
    // holds), workers, TLS context, the rest.
    core::ApiSettings settings;
    Router router;
    core::EventLog& log;
    std::vector<core::Network> allow;
    std::atomic<int> connections{0};
    std::atomic<bool> stopped{false};
    std::optional<ssl::context> tls;
    std::unique_ptr<net::thread_pool> workers;
    net::io_context ioc{kIoThreads};
    std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
    std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
    std::vector<std::thread> threads;
    std::vector<std::string> bound;
    std::mutex stop_mutex;

    std::chrono::milliseconds read_timeout() const {
        return std::chrono::milliseconds(settings.read_timeout_ms);
    }

    void setup_tls();
    void start();
    void stop();
    void accept(tcp::acceptor& acceptor);
    void on_accept(tcp::socket socket);
    const core::ApiToken* authenticate(const Request& request) const;
    Response dispatch(Request& request);
    Response handle(Request& request);
};

}  // namespace detail

using detail::ServerState;

// One connection: TLS handshake (when on), then requests one after the other (keep-alive).
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
    static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

public:
    Session(ServerState& server, Stream stream, std::string peer)
        : server_(server), stream_(std::move(stream)), peer_(std::move(peer)) {}
    ~Session() { --server_.connections; }

    void start() {
        if constexpr (kTls) {
            lowest().expires_after(server_.read_timeout());
            stream_.async_handshake(
                ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
                    if (ec) {
                        self->server_.log.event(plugin::LogLevel::debug, "api.tls_refused",
                                                {{"peer", self->peer_}, {"reason", ec.message()}});
                        return self->close_now();
                    }
                    self->read_request();
                });
        } else {
            read_request();
        }
    }

private:
    beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

    void read_request() {
        parser_.emplace();
        parser_->header_limit(kHeaderLimit);
        parser_->body_limit(static_cast<uint64_t>(server_.settings.max_body_bytes));
        // One deadline for the whole request, header and body: a slow client is cut off.
        lowest().expires_after(server_.read_timeout());
        bhttp::async_read_header(stream_, buffer_, *parser_,
                                 [self = this->shared_from_this()](beast::error_code ec, size_t) {
                                     self->on_header(ec);
                                 });
    }

    // true when the request can go on; otherwise the connection is answered or closed.
    bool read_failed(const beast::error_code& ec) {
        if (!ec) return false;
        if (ec == bhttp::error::body_limit) {
            fail_response(error_response(413, "body_too_large",
                                         "the request body is larger than " +
                                             std::to_string(server_.settings.max_body_bytes) +
                                             " bytes (api.limits.max_body_bytes)"));
        } else if (ec == bhttp::error::header_limit) {
            fail_response(error_response(
                431, "headers_too_large",
                "the request's header is larger than " + std::to_string(kHeaderLimit) + " bytes"));
        } else if (is_parse_error(ec)) {
            fail_response(
                error_response(400, "bad_request", "malformed HTTP request: " + ec.message()));
        } else {
            // An idle keep-alive connection timing out is routine; a request left unfinished
            // is worth a line.
            if (ec == beast::error::timeout)
                server_.log.event(
                    parser_->got_some() || requests_ == 0 ? plugin::LogLevel::info
                                                          : plugin::LogLevel::debug,
                    "api.timeout",
                    {{"peer", peer_},
                     {"read_timeout_ms", std::to_string(server_.settings.read_timeout_ms)}});
            close_now();
        }
        return true;
    }

    void on_header(beast::error_code ec) {
        if (read_failed(ec)) return;
        const auto& msg = parser_->get();
        if (beast::iequals(msg[bhttp::field::expect], "100-continue") && !parser_->is_done()) {
            auto cont =
                std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
            bhttp::async_write(
                stream_, *cont,
                [self = this->shared_from_this(), cont](beast::error_code e, size_t) {
                    if (e) return self->close_now();
                    self->read_body();
                });
            return;
        }
        read_body();
    }

    void read_body() {
        if (parser_->is_done()) return on_read({});
        bhttp::async_read(
            stream_, buffer_, *parser_,
            [self = this->shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
        if (read_failed(ec)) return;
        if (server_.stopped) return close_now();
        lowest().expires_never();
        auto& msg = parser_->get();
        auto request = std::make_shared<Request>();
        request->http.method = std::string(msg.method_string());
        const std::string target(msg.target());
        const auto question = target.find('?');
        request->http.path = target.substr(0, question);
        if (question != std::string::npos) request->http.query = target.substr(question + 1);
        for (const auto& field : msg) {
            std::string& value = request->http.headers[lower(std::string(field.name_string()))];
            value += (value.empty() ? "" : ", ") + std::string(field.value());
        }
        request->http.body = std::move(msg.body());
        request->http.peer = peer_;
        keep_alive_ = msg.keep_alive();
        ++requests_;
        net::post(*server_.workers, [self = this->shared_from_this(), request] {
            Response response = self->server_.handle(*request);
            net::post(self->stream_.get_executor(),
                      [self, response = std::move(response)]() mutable {
                          self->write(std::move(response), false);
                      });
        });
    }

    template <class Message>
    void set_headers(Message& m) {
        m.result(static_cast<unsigned>(response_.status));
        m.set(bhttp::field::server, "sightline");
        if (!response_.content_type.empty())
            m.set(bhttp::field::content_type, response_.content_type);
        m.set(bhttp::field::cache_control, "no-store");
        m.set("X-Content-Type-Options", "nosniff");
        for (const auto& [name, value] : response_.headers) m.set(name, value);
        m.keep_alive(keep_alive_ && !closing_);
    }

    // An error found while reading: answer, then close (the rest of the request is unread).
    void fail_response(Response r) {
        keep_alive_ = false;
        closing_ = true;
        std::string method = "-";
        if (parser_ && parser_->is_header_done())
            method = std::string(parser_->get().method_string());
        server_.log.event(plugin::LogLevel::info, "api.request",
                          {{"peer", peer_},
                           {"principal", "-"},
                           {"method", method},
                           {"route", "-"},
                           {"status", std::to_string(r.status)},
                           {"duration_ms", "0"}});
        write(std::move(r), true);
    }

    void write(Response r, bool linger) {
        response_ = std::move(r);
        linger_ = linger;
        lowest().expires_after(kWriteTimeout);
        if (response_.next_chunk) return write_stream_head();
        auto msg = std::make_shared<bhttp::response<bhttp::string_body>>();
        msg->version(11);
        set_headers(*msg);
        if (response_.status != 204) {  // 204 carries neither a body nor a Content-Length
            msg->body() = std::move(response_.body);
            msg->prepare_payload();
        }
        bhttp::async_write(stream_, *msg,
                           [self = this->shared_from_this(), msg](beast::error_code ec, size_t) {
                               self->after_write(ec, !msg->keep_alive());
                           });
    }

    void write_stream_head() {
        head_ = std::make_unique<bhttp::response<bhttp::empty_body>>();
        head_->version(11);
        set_headers(*head_);
        head_->chunked(true);
        serializer_ = std::make_unique<bhttp::response_serializer<bhttp::empty_body>>(*head_);
        bhttp::async_write_header(stream_, *serializer_,
                                  [self = this->shared_from_this()](beast::error_code ec, size_t) {
                                      if (ec) return self->close_now();
                                      self->write_chunk();
                                  });
    }

    void write_chunk() {
        chunk_.clear();
        lowest().expires_after(kWriteTimeout);
        bool more = false;
        try {
            while ((more = response_.next_chunk(chunk_)) && chunk_.empty()) {
            }
        } catch (const std::exception& e) {
            // Too late for an error status: cut the response short (no last chunk), so the
            // client sees an incomplete body rather than a wrong one.
            server_.log.event(plugin::LogLevel::error, "api.error",
                              {{"peer", peer_}, {"message", e.what()}});
            return close_now();
        }
        if (more) {
            net::async_write(stream_, bhttp::make_chunk(net::buffer(chunk_)),
                             [self = this->shared_from_this()](beast::error_code ec, size_t) {
                                 if (ec) return self->close_now();
                                 self->write_chunk();
                             });
        } else {
            net::async_write(stream_, bhttp::make_chunk_last(),
                             [self = this->shared_from_this()](beast::error_code ec, size_t) {
                                 self->after_write(ec, !self->head_->keep_alive());
                             });
        }
    }

    void after_write(beast::error_code ec, bool close) {
        if (ec) return close_now();
        response_ = Response();
        head_.reset();
        serializer_.reset();
        if (close) return shutdown();
        read_request();
    }

    void shutdown() {
        lowest().expires_after(kLingerTimeout);
        if constexpr (kTls) {
            stream_.async_shutdown(
                [self = this->shared_from_this()](beast::error_code) { self->close_now(); });
        } else {
            beast::error_code ec;
            lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
            if (linger_ && !ec) return drain();
            close_now();
        }
    }

    void drain() {
        if (drained_ >= kLingerBytes) return close_now();
        lowest().async_read_some(net::buffer(discard_),
                                 [self = this->shared_from_this()](beast::error_code ec, size_t n) {
                                     self->drained_ += n;
                                     if (ec) return self->close_now();
                                     self->drain();
                                 });
    }

    void close_now() {
        beast::error_code ec;
        lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
        lowest().close();
    }

    ServerState& server_;
    Stream stream_;
    std::string peer_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    Response response_;
    std::unique_ptr<bhttp::response<bhttp::empty_body>> head_;
    std::unique_ptr<bhttp::response_serializer<bhttp::empty_body>> serializer_;
    std::string chunk_;
    bool keep_alive_ = false;
    bool closing_ = false;
    bool linger_ = false;
    size_t drained_ = 0;
    size_t requests_ = 0;  // read on this connection
    std::array<char, 16384> discard_{};
};

void ServerState::setup_tls() {
    if (!settings.tls) return;
    tls.emplace(ssl::context::tls_server);
    tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                     ssl::context::single_dh_use | SSL_OP_NO_RENEGOTIATION |
                     SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
    SSL_CTX* ctx = tls->native_handle();
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    if (SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1)
        throw std::runtime_error("api.tls: OpenSSL refused the cipher list");
    try {
        tls->use_certificate_chain_file(settings.tls_cert);
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error("api.tls.cert: cannot use '" + settings.tls_cert +
                                 "' as a PEM certificate chain: " + e.code().message());
    }
    try {
        tls->use_private_key_file(settings.tls_key, ssl::context::pem);
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error("api.tls.key: cannot use '" + settings.tls_key +
                                 "' as a PEM private key: " + e.code().message());
    }
    if (SSL_CTX_check_private_key(ctx) != 1)
        throw std::runtime_error("api.tls.key: '" + settings.tls_key +
                                 "' does not match the certificate '" + settings.tls_cert + "'");
}

void ServerState::start() {
    for (const auto& text : settings.allow) {
        core::Network n;
        std::string reason;
        if (!core::parse_network(text, n, reason)) throw std::runtime_error("api.allow: " + reason);
        allow.push_back(n);
    }
    for (const auto& text : settings.listen) {
        std::string address;
        uint16_t port = 0;
        if (!core::split_listen_address(text, address, port))
            throw std::runtime_error("api.listen: '" + text + "' is not address:port");
        const tcp::endpoint endpoint(net::ip::make_address(address), port);
        auto acceptor = std::make_unique<tcp::acceptor>(ioc);
        try {
            acceptor->open(endpoint.protocol());
            acceptor->set_option(net::socket_base::reuse_address(true));
            acceptor->bind(endpoint);
            acceptor->listen(net::socket_base::max_listen_connections);
        } catch (const boost::system::system_error& e) {
            throw std::runtime_error("api.listen: cannot listen on " + text + ": " +
                                     e.code().message());
        }
        bound.push_back(endpoint_text(acceptor->local_endpoint()));
        acceptors.push_back(std::move(acceptor));
    }
    workers = std::make_unique<net::thread_pool>(static_cast<size_t>(settings.threads));
    work.emplace(ioc.get_executor());
    for (auto& a : acceptors) accept(*a);
    for (int i = 0; i < kIoThreads; ++i) threads.emplace_back([this] { ioc.run(); });
    for (const auto& b : bound)
        log.event(plugin::LogLevel::info, "api.listening",
                  {{"address", b},
                   {"tls", settings.tls ? "on" : "off"},
                   {"tokens", std::to_string(settings.tokens.size())}});
}

void ServerState::stop() {
    std::lock_guard<std::mutex> lock(stop_mutex);
    if (stopped.exchange(true)) return;
    net::post(ioc, [this] {
        for (auto& a : acceptors) {
            beast::error_code ec;
            a->close(ec);
        }
    });
    work.reset();
    // Requests being handled finish; their responses are dropped with the connections.
    if (workers) workers->join();
    ioc.stop();
    for (auto& t : threads) t.join();
    threads.clear();
}

void ServerState::accept(tcp::acceptor& acceptor) {
    acceptor.async_accept(net::make_strand(ioc), [this, &acceptor](beast::error_code ec,
                                                                   tcp::socket socket) {
        if (stopped || !acceptor.is_open()) return;
        if (ec) {
            log.event(plugin::LogLevel::warn, "api.accept_failed", {{"reason", ec.message()}});
            // Out of descriptors and the like: wait a moment instead of spinning.
            auto timer = std::make_shared<net::steady_timer>(ioc, std::chrono::milliseconds(100));
            timer->async_wait([this, &acceptor, timer](beast::error_code) {
                if (!stopped) accept(acceptor);
            });
            return;
        }
        on_accept(std::move(socket));
        accept(acceptor);
    });
}

void ServerState::on_accept(tcp::socket socket) {
    beast::error_code ec;
    const tcp::endpoint remote = socket.remote_endpoint(ec);
    if (ec) return;
    const std::string peer = address_text(remote.address());
    const auto bytes = address_bytes(remote.address());
    bool allowed = false;
    for (const auto& n : allow) allowed = allowed || n.contains(bytes);
    if (!allowed) {
        log.event(plugin::LogLevel::warn, "api.refused",
                  {{"peer", peer}, {"reason", "address not in api.allow"}});
        socket.close(ec);
        return;
    }
    if (connections.load() >= settings.max_connections) {
        log.event(plugin::LogLevel::warn, "api.refused",
                  {{"peer", peer}, {"reason", "api.limits.max_connections reached"}});
        socket.close(ec);
        return;
    }
    ++connections;
    socket.set_option(tcp::no_delay(true), ec);
    if (tls) {
        using TlsStream = beast::ssl_stream<beast::tcp_stream>;
        std::make_shared<Session<TlsStream>>(*this, TlsStream(std::move(socket), *tls), peer)
            ->start();
    } else {
        std::make_shared<Session<beast::tcp_stream>>(*this, beast::tcp_stream(std::move(socket)),
                                                     peer)
            ->start();
    }
}

const core::ApiToken* ServerState::authenticate(const Request& request) const {
    const std::string* header = request.header("authorization");
    if (!header || header->size() < 7 || lower(header->substr(0, 7)) != "bearer ") return nullptr;
    std::string token = header->substr(7);
    while (!token.empty() && (token.front() == ' ' || token.front() == '\t')) token.erase(0, 1);
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.pop_back();
    if (token.empty()) return nullptr;
    // Tokens are random 256-bit values: one SHA-256 is enough (nothing to guess from), compared
    // in constant time with every configured hash.
    const std::string hash = core::sha256_hex(token);
    const core::ApiToken* found = nullptr;
    for (const auto& t : settings.tokens)
        if (t.sha256.size() == hash.size() &&
            CRYPTO_memcmp(t.sha256.data(), hash.data(), hash.size()) == 0)
            found = &t;
    return found;
}

Response ServerState::dispatch(Request& request) {
    const auto segments = split_path(request.http.path);
    if (!segments) throw ApiError(400, "bad_request", "the request path is malformed");
    if (auto decoded = percent_decode(request.http.path, false)) request.http.path = *decoded;
    const auto query = parse_query(request.http.query);
    if (!query) throw ApiError(400, "bad_request", "the query string is malformed");
    request.query = *query;
    const Router::Match match = router.match(request.http.method, *segments);
    if (!match.route || match.route->authenticated) {
        const bool offered = request.header("authorization") != nullptr;
        request.token = authenticate(request);
        if (!request.token) {
            Response r =
                error_response(401, "unauthenticated",
                               offered ? "the bearer token is not valid"
                                       : "an 'Authorization: Bearer <token>' header is required");
            r.headers["WWW-Authenticate"] = "Bearer realm=\"sightline\"";
            return r;
        }
    }
    if (!match.route) {
        if (match.allowed.empty())
            throw ApiError(404, "not_found", "no such endpoint (see docs/openapi.yaml)");
        std::string allow;
        for (const auto& m : match.allowed) allow += (allow.empty() ? "" : ", ") + m;
        Response r =
            error_response(405, "method_not_allowed",
                           request.http.method + " is not allowed here; allowed: " + allow);
        r.headers["Allow"] = allow;
        return r;
    }
    request.route = match.route->pattern;
    request.params = match.params;
    if (const std::string* tenant = request.param("tenant"); tenant && match.route->authenticated) {
        if (core::valid_tenant_id(*tenant)) request.log["tenant"] = *tenant;
        // The same answer whether or not the tenant exists: a token learns nothing about others.
        if (!request.token->reaches(*tenant))
            throw ApiError(403, "forbidden", "this token is not allowed to use that tenant");
    }
    return match.route->handler(request);
}

Response ServerState::handle(Request& request) {
    const auto started = std::chrono::steady_clock::now();
    Response response;
    try {
        response = dispatch(request);
    } catch (const ApiError& e) {
        response = error_response(e.status(), e.code(), e.what(), e.details());
    } catch (const std::exception& e) {
        log.event(plugin::LogLevel::error, "api.error",
                  {{"route", request.route.empty() ? "-" : request.route},
                   {"method", request.http.method},
                   {"message", e.what()}});
        response = error_response(500, "internal", "internal error; the server log has the reason");
    }
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - started)
                            .count();
    plugin::LogFields fields = request.log;
    fields["peer"] = request.http.peer;
    fields["principal"] = request.token ? request.token->name : "-";
    fields["method"] = request.http.method;
    fields["route"] = request.route.empty() ? "-" : request.route;
    fields["status"] = std::to_string(response.status);
    fields["duration_ms"] =
        std::to_string(micros / 1000) + "." + std::to_string(micros % 1000 / 100);
    log.event(response.status >= 500 ? plugin::LogLevel::error : plugin::LogLevel::info,
              "api.request", fields);
    return response;
}

Server::Server(core::ApiSettings settings, Router router, core::EventLog& log)
    : impl_(std::make_unique<detail::ServerState>(std::move(settings), std::move(router), log)) {
    impl_->setup_tls();
}

Server::~Server() { stop(); }

void Server::start() { impl_->start(); }

void Server::stop() { impl_->stop(); }

std::vector<std::string> Server::endpoints() const { return impl_->bound; }

}  // namespace sightline::http
