#include "server.hpp"

#include <pthread.h>
#include <signal.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <optional>

#include <boost/asio/ip/address.hpp>

#include "session.hpp"
#include "sightline/ftps/password.hpp"

namespace sightline::intake_ftps {

namespace {

// OpenSSL writes to sockets with write(), which raises SIGPIPE when the client has gone; the
// default action would end the whole host process. Blocked in the threads that touch sockets,
// the write fails with EPIPE instead, and the session ends like any other broken connection
// (seen in CI: a test server killed by SIGPIPE mid-test). Does not depend on the host ignoring it.
void block_sigpipe() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

}  // namespace

using plugin::LogLevel;

Server::Server(Config config, plugin::HostServices& host)
    : config_(std::move(config)),
      host_(host),
      settings_(std::make_shared<const Settings>(Settings{config_, {}, nullptr})),
      landing_(config_.landing),
      queue_(config_, landing_, host_),
      sweeper_(config_, landing_, queue_, host_),
      ports_(config_.passive_first, config_.passive_last),
      bans_(config_.limits.ban_failures, config_.limits.ban_window_seconds * 1'000'000,
            config_.limits.ban_seconds * 1'000'000),
      connections_(config_.limits.max_connections, config_.limits.max_per_address),
      // One scrypt check per hardware thread, but at most 4 at once: each takes 16 MiB, and the
      // memory bound must not grow with the host's cores.
      verifications_(std::clamp<int64_t>(std::thread::hardware_concurrency(), 1, 4)) {}

Server::~Server() {
    try {
        stop();
    } catch (...) {
    }
}

void Server::check_tenants(const Config& config, const std::vector<std::string>& tenants) {
    for (const auto& account : config.accounts) {
        if (account.relay()) continue;
        if (std::find(tenants.begin(), tenants.end(), account.tenant) == tenants.end()) {
            throw plugin::Error("intake-ftps: account '" + account.user + "' names tenant '" +
                                account.tenant + "', which the profile does not define");
        }
    }
}

void Server::start(plugin::UploadSink& sink) {
    std::lock_guard<std::mutex> lifecycle(lifecycle_mutex_);
    if (accept_thread_.joinable()) throw plugin::Error("intake-ftps: start() called twice");
    const auto tenants = host_.tenants();
    // A reconfigure() before start() may have replaced the live part already.
    const Config config = settings_.get()->config;
    check_tenants(config, tenants);
    landing_.prepare(tenants);
    remove_partials(tenants);
    ensure_certificate(config);
    auto tls = std::make_shared<const TlsContext>(config);

    using boost::asio::ip::tcp;
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(config_.listen_host, ec);
    if (ec) throw plugin::Error("intake-ftps: bad listen address '" + config_.listen_host + "'");
    acceptor_.emplace(io_);
    const tcp::endpoint endpoint(address, config_.listen_port);
    acceptor_->open(endpoint.protocol(), ec);
    if (!ec) acceptor_->set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor_->bind(endpoint, ec);
    // The kernel's largest backlog: a flood of connections must not fill it before the accept
    // loop takes them (admission decides, not the backlog).
    if (!ec) acceptor_->listen(boost::asio::socket_base::max_listen_connections, ec);
    if (!ec) acceptor_->non_blocking(true, ec);
    if (ec) {
        acceptor_.reset();
        throw plugin::Error("intake-ftps: cannot listen on " + config_.listen_host + ":" +
                            std::to_string(config_.listen_port) + ": " + ec.message());
    }
    bound_port_ = acceptor_->local_endpoint().port();

    settings_.set(std::make_shared<const Settings>(Settings{config, tenants, std::move(tls)}));
    apply_limits(config);
    shared_.reset(new Shared{settings_, host_, landing_, queue_, ports_, io_, bans_, verifications_,
                             stopping_, sink, ftps::hash_password(random_hex(16))});
    stopping_ = false;
    // Uploads left from before a restart go first, oldest first.
    queue_.scan(tenants);
    queue_.start(sink);
    sweeper_.run(config.retention_hours);
    sweep_thread_ = std::thread([this] { sweep_loop(); });
    accept_thread_ = std::thread([this] {
        block_sigpipe();
        accept_loop();
    });
    host_.log(LogLevel::info, "intake_ftps.started",
              {{"listen", config_.listen_host + ":" + std::to_string(bound_port_)},
               {"passive_ports",
                std::to_string(config_.passive_first) + "-" + std::to_string(config_.passive_last)},
               {"landing", config_.landing}});
}

void Server::stop() {
    std::lock_guard<std::mutex> lifecycle(lifecycle_mutex_);
    if (!accept_thread_.joinable()) return;
    {
        std::lock_guard<std::mutex> lock(sweep_mutex_);
        stopping_ = true;
    }
    sweep_wake_.notify_all();
    accept_thread_.join();
    sweep_thread_.join();
    // Sessions notice stopping_ within 250 ms; one waiting for its own submission
    // (await_result) returns when the submission does.
    reap(true);
    queue_.stop();
    boost::system::error_code ignored;
    acceptor_->close(ignored);
    acceptor_.reset();
    host_.log(LogLevel::info, "intake_ftps.stopped", {});
}

void Server::remove_partials(const std::vector<std::string>& tenants) {
    // No session runs before start(): whatever is in .partial/ was cut off by a stop or a crash
    // and can never complete.
    for (const auto& tenant : tenants) {
        Fd dir = landing_.open_dir(tenant, Sub::partial);
        if (!dir.valid()) continue;
        for (const auto& entry : Landing::list(dir.get())) {
            if (entry.dir || ::unlinkat(dir.get(), entry.name.c_str(), 0) != 0) continue;
            host_.log(LogLevel::info, "intake_ftps.partial_removed",
                      {{"tenant", tenant}, {"bytes", std::to_string(entry.size)}});
        }
    }
}

void Server::drain(plugin::UploadSink& sink) {
    const auto tenants = host_.tenants();
    landing_.prepare(tenants);
    queue_.scan(tenants);
    queue_.drain(sink);
}

void Server::sweep_loop() {
    std::unique_lock<std::mutex> lock(sweep_mutex_);
    // The host's clock decides ages; the interval is real time. A reload wakes the loop: the
    // new retention applies at once and the new interval from then on.
    for (;;) {
        const auto interval = std::chrono::seconds(settings_.get()->config.sweep_interval_seconds);
        sweep_wake_.wait_for(lock, interval, [this] { return stopping_.load() || sweep_now_; });
        if (stopping_.load()) return;
        sweep_now_ = false;
        lock.unlock();
        sweeper_.run(settings_.get()->config.retention_hours);
        lock.lock();
    }
}

void Server::accept_loop() {
    const int listen_fd = acceptor_->native_handle();
    while (!stopping_.load()) {
        pollfd p{listen_fd, POLLIN, 0};
        if (::poll(&p, 1, 250) > 0) accept_pending(listen_fd);
        reap(false);
    }
}

void Server::accept_pending(int listen_fd) {
    // A burst of connections is taken in one go: one per wake-up would leave the backlog full
    // during a flood, and a legitimate client's SYN dropped there waits a second to be resent.
    while (!stopping_.load()) {
        Fd fd(::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
        if (!fd.valid()) return;  // EAGAIN: the backlog is empty (or out of descriptors)
        const std::string peer = peer_address(fd.get());
        auto refuse = [&](const char* event, const char* text) {
            host_.log(LogLevel::warn, event, {{"peer", peer}});
            const std::string line = std::string("421 ") + text + "\r\n";
            // Best effort on a fresh socket: the buffer is empty, so this does not block.
            (void)::send(fd.get(), line.data(), line.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        };
        if (bans_.banned(peer, host_.now_us())) {
            refuse("intake_ftps.banned", "Too many failed logins from your address: try later");
            continue;
        }
        const Admission::Result admitted = connections_.admit(peer);
        switch (admitted.verdict) {
            case Admission::Verdict::total:
                refuse("intake_ftps.too_many_connections", "Too many connections: try later");
                continue;
            case Admission::Verdict::per_address:
                refuse("intake_ftps.too_many_from_address",
                       "Too many connections from your address");
                continue;
            case Admission::Verdict::ok:
                break;
        }
        if (!admitted.evicted_peer.empty()) {
            host_.log(LogLevel::warn, "intake_ftps.closed_for_room",
                      {{"peer", admitted.evicted_peer}, {"for", peer}});
        }
        std::lock_guard<std::mutex> lock(workers_mutex_);
        workers_.emplace_back();
        Worker& worker = workers_.back();
        worker.thread =
            std::thread([this, &worker, peer, ticket = admitted.ticket, raw = fd.release()] {
                block_sigpipe();
                serve(Fd(raw), peer, ticket);
                worker.done = true;
            });
    }
}

void Server::serve(Fd fd, std::string peer, Admission::Ticket ticket) {
    const int raw = fd.get();
    // Declared after the session, so it runs before the session's destructor closes the socket:
    // admission must never shut down a descriptor number that another connection reuses.
    struct Release {
        Admission& admission;
        Admission::Ticket ticket;
        ~Release() { admission.release(ticket); }
    };
    // Nothing may escape a thread.
    try {
        std::optional<Session> session;
        Release release{connections_, ticket};
        session.emplace(*shared_, std::move(fd), peer);
        // Closed to make room before its thread started: nothing to serve.
        if (!connections_.attach(ticket, raw)) return;
        session->run();
    } catch (const std::exception& e) {
        host_.log(LogLevel::error, "intake_ftps.session_failed",
                  {{"peer", peer}, {"error", e.what()}});
    } catch (...) {
        host_.log(LogLevel::error, "intake_ftps.session_failed",
                  {{"peer", peer}, {"error", "unknown exception"}});
    }
}

void Server::reap(bool all) {
    std::list<Worker> finished;
    {
        std::lock_guard<std::mutex> lock(workers_mutex_);
        for (auto it = workers_.begin(); it != workers_.end();) {
            auto next = std::next(it);
            if (all || it->done.load()) finished.splice(finished.end(), workers_, it);
            it = next;
        }
    }
    for (auto& worker : finished) {
        if (worker.thread.joinable()) worker.thread.join();
    }
}

}  // namespace sightline::intake_ftps
