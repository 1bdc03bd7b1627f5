#include "sightline/http/server.hpp"

#include <openssl/crypto.h>
#include <openssl/err.h>
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

#include "connection_table.hpp"
#include "sightline/core/sha256.hpp"
#include "sightline/core/store_pool.hpp"
#include "tls_context.hpp"

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

// The answer to a request that could not be read (body or header too large, malformed), or
// nullopt when the connection is just closed (the client went away, a timeout).
std::optional<Response> read_error_response(const beast::error_code& ec, int64_t max_body_bytes) {
    if (ec == bhttp::error::body_limit)
        return error_response(413, "body_too_large",
                              "the request body is larger than " + std::to_string(max_body_bytes) +
                                  " bytes (api.limits.max_body_bytes)");
    if (ec == bhttp::error::header_limit)
        return error_response(
            431, "headers_too_large",
            "the request's header is larger than " + std::to_string(kHeaderLimit) + " bytes");
    if (is_parse_error(ec))
        return error_response(400, "bad_request", "malformed HTTP request: " + ec.message());
    return std::nullopt;
}

// A parsed message as the router sees it: path and query split, header names lower-cased,
// repeated headers joined with ", ". Takes the body.
void fill_request(bhttp::request<bhttp::string_body>& msg, const std::string& peer,
                  Request& request) {
    request.http.method = std::string(msg.method_string());
    const std::string target(msg.target());
    const auto question = target.find('?');
    request.http.path = target.substr(0, question);
    if (question != std::string::npos) request.http.query = target.substr(question + 1);
    for (const auto& field : msg) {
        std::string& value = request.http.headers[lower(std::string(field.name_string()))];
        value += (value.empty() ? "" : ", ") + std::string(field.value());
    }
    request.http.body = std::move(msg.body());
    request.http.peer = peer;
}

}  // namespace

namespace detail {

// What a reload (SIGHUP) may change while connections run: tokens, the allow-list, trusted hosts
// and the certificates. Requests and connections keep the snapshot they started with.
struct LiveSettings {
    core::ApiSettings settings;
    std::vector<core::Network> allow;
    std::shared_ptr<ssl::context> tls;  // null when TLS is off
    bool mtls() const { return !settings.client_ca.empty(); }
    const core::TrustedHost* trusted(const std::string& subject) const {
        for (const auto& h : settings.trusted_hosts)
            if (!subject.empty() && h.subject == subject) return &h;
        return nullptr;
    }
};

struct ServerState {
    ServerState(core::ApiSettings s, Router r, core::EventLog& l)
        : settings(std::move(s)),
          router(std::move(r)),
          log(l),
          table(settings.max_connections, settings.max_per_address) {}
    ~ServerState() { stop(); }

    // Declared so that destruction runs: acceptors, io context (and the sessions its queue
    // holds), workers, TLS context, the rest.
    // The settings the listener started with: listen addresses, limits and threads stay.
    core::ApiSettings settings;
    Router router;
    core::EventLog& log;
    mutable std::mutex live_mutex;
    std::shared_ptr<const LiveSettings> live_settings;
    ConnectionTable table;  // limits.max_connections and max_per_address
    std::atomic<bool> stopped{false};
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

    // "reports" for the mutual-TLS listener, "api" otherwise: prefixes messages and log events.
    const char* section() const { return settings.client_ca.empty() ? "api" : "reports"; }
    std::shared_ptr<const LiveSettings> live() const {
        std::lock_guard<std::mutex> lock(live_mutex);
        return live_settings;
    }
    std::shared_ptr<const LiveSettings> make_live(const core::ApiSettings& s) const;
    void start();
    void stop();
    std::vector<std::string> reload(const core::ApiSettings& next);
    void accept(tcp::acceptor& acceptor);
    void on_accept(tcp::socket socket);
    // A refused attempt on the mutual-TLS listener: "report.refused", never any data.
    void refuse_report(const std::string& peer, const std::string& reason,
                       const std::string& subject = "", const std::string& tenant = "");
    const core::ApiToken* authenticate(const LiveSettings& live, const Request& request) const;
    Response dispatch(const LiveSettings& live, Request& request);
    Response handle(Request& request);
};

}  // namespace detail

using detail::ServerState;

// One connection: TLS handshake (when on), then requests one after the other (keep-alive).
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>>, public detail::Closable {
    static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

public:
    // tls: the context the stream was made from, kept alive for the connection's life (a reload
    // replaces the listener's context; connections in progress keep theirs).
    Session(ServerState& server, detail::ConnectionTable::Id id, Stream stream, std::string peer,
            bool mtls, std::shared_ptr<ssl::context> tls = nullptr)
        : server_(server),
          id_(id),
          tls_(std::move(tls)),
          stream_(std::move(stream)),
          peer_(std::move(peer)),
          mtls_(mtls) {}
    ~Session() override { server_.table.release(id_); }

    void start() {
        server_.table.waiting(id_);  // a slow TLS handshake waits like a slow header
        if constexpr (kTls) {
            if (mtls_) watch_verification();
            lowest().expires_after(server_.read_timeout());
            stream_.async_handshake(ssl::stream_base::server,
                                    [self = this->shared_from_this()](beast::error_code ec) {
                                        self->on_handshake(ec);
                                    });
        } else {
            read_request();
        }
    }

private:
    // OpenSSL verifies the chain and the dates; this only notes the leaf's subject and the first
    // error, for the refusal's log line.
    void watch_verification() {
        if constexpr (kTls) {
            stream_.set_verify_callback([this](bool preverified, ssl::verify_context& ctx) {
                X509_STORE_CTX* store = ctx.native_handle();
                if (X509* leaf = X509_STORE_CTX_get0_cert(store); leaf && subject_.empty())
                    subject_ = detail::rfc2253_subject(leaf);
                if (!preverified && verify_error_.empty())
                    verify_error_ = detail::verify_error_code(X509_STORE_CTX_get_error(store));
                return preverified;
            });
        }
    }

    void on_handshake(beast::error_code ec) {
        if constexpr (kTls) {
            if (!ec && mtls_) {
                X509* peer_certificate = SSL_get1_peer_certificate(stream_.native_handle());
                subject_ = detail::rfc2253_subject(peer_certificate);
                X509_free(peer_certificate);
                if (subject_.empty()) {
                    server_.refuse_report(peer_, "no_certificate");
                    return close_now();
                }
            }
            if (ec) {
                if (mtls_) {
                    std::string reason = verify_error_;
                    if (reason.empty())
                        reason = ERR_GET_REASON(static_cast<unsigned long>(ec.value())) ==
                                         SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE
                                     ? "no_certificate"
                                     : "tls_failed: " + ec.message();
                    server_.refuse_report(peer_, reason, subject_);
                } else {
                    server_.log.event(plugin::LogLevel::debug, "api.tls_refused",
                                      {{"peer", peer_}, {"reason", ec.message()}});
                }
                return close_now();
            }
            read_request();
        }
    }

    beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

    // The listener is full and the table chose this waiting connection to make room (on_accept
    // logs it).
    void close_for_room() override {
        net::post(stream_.get_executor(), [self = this->shared_from_this()] { self->close_now(); });
    }

    void read_request() {
        server_.table.waiting(id_);
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
        if (auto response = read_error_response(ec, server_.settings.max_body_bytes)) {
            fail_response(std::move(*response));
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
        server_.table.busy(id_);
        lowest().expires_never();
        auto& msg = parser_->get();
        auto request = std::make_shared<Request>();
        fill_request(msg, peer_, *request);
        if (mtls_) request->client_subject = subject_;
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
    const detail::ConnectionTable::Id id_;
    std::shared_ptr<ssl::context> tls_;  // outlives stream_, which was made from it
    Stream stream_;
    std::string peer_;
    bool mtls_ = false;
    std::string subject_;       // the client certificate's (mutual TLS)
    std::string verify_error_;  // why OpenSSL refused it, when it did
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

std::shared_ptr<const detail::LiveSettings> ServerState::make_live(
    const core::ApiSettings& s) const {
    auto next = std::make_shared<detail::LiveSettings>();
    next->settings = s;
    const std::string where = section();
    for (const auto& text : s.allow) {
        core::Network n;
        std::string reason;
        if (!core::parse_network(text, n, reason))
            throw std::runtime_error(where + ".allow: " + reason);
        next->allow.push_back(n);
    }
    if (s.tls) next->tls = detail::make_server_context(s, where);
    return next;
}

void ServerState::start() {
    for (const auto& text : settings.listen) {
        std::string address;
        uint16_t port = 0;
        if (!core::split_listen_address(text, address, port))
            throw std::runtime_error(std::string(section()) + ".listen: '" + text +
                                     "' is not address:port");
        const tcp::endpoint endpoint(net::ip::make_address(address), port);
        auto acceptor = std::make_unique<tcp::acceptor>(ioc);
        try {
            acceptor->open(endpoint.protocol());
            acceptor->set_option(net::socket_base::reuse_address(true));
            acceptor->bind(endpoint);
            acceptor->listen(net::socket_base::max_listen_connections);
        } catch (const boost::system::system_error& e) {
            throw std::runtime_error(std::string(section()) + ".listen: cannot listen on " + text +
                                     ": " + e.code().message());
        }
        bound.push_back(endpoint_text(acceptor->local_endpoint()));
        acceptors.push_back(std::move(acceptor));
    }
    workers = std::make_unique<net::thread_pool>(static_cast<size_t>(settings.threads));
    work.emplace(ioc.get_executor());
    for (auto& a : acceptors) accept(*a);
    for (int i = 0; i < kIoThreads; ++i) threads.emplace_back([this] { ioc.run(); });
    for (const auto& b : bound) {
        plugin::LogFields fields = {{"address", b},
                                    {"listener", section()},
                                    {"tls", settings.tls ? "on" : "off"},
                                    {"tokens", std::to_string(settings.tokens.size())}};
        if (!settings.client_ca.empty()) {
            fields["mtls"] = "on";
            fields["trusted_hosts"] = std::to_string(settings.trusted_hosts.size());
        }
        log.event(plugin::LogLevel::info, "api.listening", fields);
    }
}

std::vector<std::string> ServerState::reload(const core::ApiSettings& next) {
    // Built in full before the swap: a bad certificate leaves the running settings as they were.
    auto fresh = make_live(next);
    std::vector<std::string> restart;
    if (next.listen != settings.listen) restart.push_back("listen");
    if (next.threads != settings.threads) restart.push_back("threads");
    if (next.max_body_bytes != settings.max_body_bytes ||
        next.read_timeout_ms != settings.read_timeout_ms ||
        next.max_connections != settings.max_connections ||
        next.max_per_address != settings.max_per_address)
        restart.push_back("limits");
    if (next.tls != settings.tls) restart.push_back("tls on/off");
    if (next.client_ca.empty() != settings.client_ca.empty()) restart.push_back("client_ca on/off");
    // A listener cannot turn into another kind (plain/TLS/mutual TLS) live: nothing is applied.
    const bool kind_changed =
        next.tls != settings.tls || next.client_ca.empty() != settings.client_ca.empty();
    if (!kind_changed) {
        std::lock_guard<std::mutex> lock(live_mutex);
        live_settings = std::move(fresh);
    }
    plugin::LogFields fields = {{"listener", section()},
                                {"tokens", std::to_string(next.tokens.size())},
                                {"allow", std::to_string(next.allow.size())}};
    if (!next.client_ca.empty())
        fields["trusted_hosts"] = std::to_string(next.trusted_hosts.size());
    if (!restart.empty()) {
        std::string list;
        for (const auto& r : restart) list += (list.empty() ? "" : ", ") + r;
        fields["restart_needed"] = list;
        fields["applied"] = kind_changed ? "nothing" : "tokens, allow, trusted_hosts, certificates";
    }
    log.event(restart.empty() ? plugin::LogLevel::info : plugin::LogLevel::warn, "api.reloaded",
              fields);
    return restart;
}

void ServerState::refuse_report(const std::string& peer, const std::string& reason,
                                const std::string& subject, const std::string& tenant) {
    plugin::LogFields fields = {{"peer", peer}, {"reason", reason}};
    if (!subject.empty()) fields["subject"] = subject;
    if (!tenant.empty()) fields["tenant"] = tenant;
    log.event(plugin::LogLevel::warn, "report.refused", fields);
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
    const auto current = live();
    bool allowed = false;
    for (const auto& n : current->allow) allowed = allowed || n.contains(bytes);
    if (!allowed) {
        if (current->mtls())
            refuse_report(peer, "address_not_allowed");
        else
            log.event(plugin::LogLevel::warn, "api.refused",
                      {{"peer", peer}, {"reason", "address not in api.allow"}});
        socket.close(ec);
        return;
    }
    const auto admitted = table.admit(bytes);
    if (admitted.verdict != detail::ConnectionTable::Verdict::ok) {
        const bool total = admitted.verdict == detail::ConnectionTable::Verdict::total;
        log.event(plugin::LogLevel::warn, "api.refused",
                  {{"peer", peer},
                   {"reason", std::string(section()) + ".limits." +
                                  (total ? "max_connections" : "max_per_address") + " reached"}});
        socket.close(ec);
        return;
    }
    if (admitted.closed) {
        admitted.closed->close_for_room();
        log.event(
            plugin::LogLevel::info, "api.closed_for_room",
            {{"peer", address_text(net::ip::address_v6(admitted.closed_peer))}, {"for", peer}});
    }
    socket.set_option(tcp::no_delay(true), ec);
    if (current->tls) {
        using TlsStream = beast::ssl_stream<beast::tcp_stream>;
        auto session = std::make_shared<Session<TlsStream>>(
            *this, admitted.id, TlsStream(std::move(socket), *current->tls), peer, current->mtls(),
            current->tls);
        table.attach(admitted.id, session);
        session->start();
    } else {
        auto session = std::make_shared<Session<beast::tcp_stream>>(
            *this, admitted.id, beast::tcp_stream(std::move(socket)), peer, false);
        table.attach(admitted.id, session);
        session->start();
    }
}

const core::ApiToken* ServerState::authenticate(const detail::LiveSettings& live,
                                                const Request& request) const {
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
    for (const auto& t : live.settings.tokens)
        if (t.sha256.size() == hash.size() &&
            CRYPTO_memcmp(t.sha256.data(), hash.data(), hash.size()) == 0)
            found = &t;
    return found;
}

Response ServerState::dispatch(const detail::LiveSettings& live, Request& request) {
    const auto segments = split_path(request.http.path);
    if (!segments) throw ApiError(400, "bad_request", "the request path is malformed");
    if (auto decoded = percent_decode(request.http.path, false)) request.http.path = *decoded;
    const auto query = parse_query(request.http.query);
    if (!query) throw ApiError(400, "bad_request", "the query string is malformed");
    request.query = *query;
    const Router::Match match = router.match(request.http.method, *segments);
    if (live.mtls()) {
        // Trusted host-based authentication: the verified certificate's subject must be listed,
        // on every route; bearer tokens mean nothing here.
        request.trusted_host = live.trusted(request.client_subject);
        if (!request.trusted_host) {
            refuse_report(request.http.peer, "subject_not_trusted", request.client_subject);
            throw ApiError(403, "forbidden", "this client certificate is not a trusted host");
        }
    } else if (!match.route || match.route->authenticated ||
               (match.route->token_optional && request.header("authorization"))) {
        const bool offered = request.header("authorization") != nullptr;
        request.token = authenticate(live, request);
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
    if (const std::string* tenant = request.param("tenant"); tenant && request.trusted_host) {
        if (core::valid_tenant_id(*tenant)) request.log["tenant"] = *tenant;
        // The same answer whether or not the tenant exists.
        if (!request.trusted_host->reaches(*tenant)) {
            refuse_report(request.http.peer, "tenant_not_allowed", request.client_subject,
                          core::valid_tenant_id(*tenant) ? *tenant : "-");
            throw ApiError(403, "forbidden",
                           "this trusted host is not allowed to read that tenant");
        }
    } else if (tenant && match.route->authenticated) {
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
    // This request's settings: a reload meanwhile does not change them under it.
    const auto current = live();
    try {
        response = dispatch(*current, request);
    } catch (const ApiError& e) {
        response = error_response(e.status(), e.code(), e.what(), e.details());
    } catch (const core::TargetBusy&) {
        // Every target connection of the process's budget is in use: a passing state.
        response = error_response(503, "busy", "the server is busy; try again shortly");
        response.headers["Retry-After"] = "1";
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
    // Handlers that authenticate on their own (the console's sessions) name the principal.
    if (request.token)
        fields["principal"] = request.token->name;
    else if (request.trusted_host)
        fields["principal"] = request.client_subject;
    else if (!fields.count("principal"))
        fields["principal"] = "-";
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
    impl_->live_settings = impl_->make_live(impl_->settings);
}

Server::~Server() { stop(); }

void Server::start() { impl_->start(); }

void Server::stop() { impl_->stop(); }

std::vector<std::string> Server::endpoints() const { return impl_->bound; }

std::optional<Response> Server::handle_bytes(std::string_view bytes, const std::string& peer) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(kHeaderLimit);
    parser.body_limit(static_cast<uint64_t>(impl_->settings.max_body_bytes));
    beast::error_code ec;
    size_t used = 0;
    while (!parser.is_done()) {
        const size_t n = parser.put(net::buffer(bytes.data() + used, bytes.size() - used), ec);
        used += n;
        if (ec && ec != bhttp::error::need_more) break;
        if (n > 0 && used < bytes.size()) continue;
        // Every byte given and the parser wants more: the client would have closed here.
        ec = {};
        parser.put_eof(ec);
        if (!ec && !parser.is_done()) ec = bhttp::error::partial_message;
        break;
    }
    if (ec) return read_error_response(ec, impl_->settings.max_body_bytes);
    Request request;
    fill_request(parser.get(), peer, request);
    return impl_->handle(request);
}

std::vector<std::string> Server::reload(const core::ApiSettings& settings) {
    return impl_->reload(settings);
}

}  // namespace sightline::http
