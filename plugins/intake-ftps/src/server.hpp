// The intake-ftps transport: accepts control connections (one thread each, at most
// limits.max_connections of them: admission.hpp), runs the upload queue's worker and the
// retention sweep, and applies a reloaded config without dropping sessions (reconfigure.cpp).
#pragma once

#include <atomic>
#include <condition_variable>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "admission.hpp"
#include "config.hpp"
#include "landing.hpp"
#include "limits.hpp"
#include "passive.hpp"
#include "settings.hpp"
#include "shared.hpp"
#include "sightline/plugin/transport.hpp"
#include "sweep.hpp"
#include "tls_context.hpp"
#include "upload_queue.hpp"

namespace sightline::intake_ftps {

class Server final : public plugin::Transport, public plugin::Reconfigurable {
public:
    Server(Config config, plugin::HostServices& host);
    ~Server() override;

    void start(plugin::UploadSink& sink) override;
    void stop() override;
    void drain(plugin::UploadSink& sink) override;
    // Applies accounts, tenants, quotas, limits, retention, the sweep interval and the TLS
    // files (read again even when their paths are unchanged: a renewed certificate) live.
    // listen, passive_ports or landing changed: false, and nothing changes.
    bool reconfigure(const std::string& config_json) override;

    // The port listened on (the configured one, or the kernel's pick for port 0).
    uint16_t port() const { return bound_port_; }

private:
    static void check_tenants(const Config& config, const std::vector<std::string>& tenants);
    void ensure_certificate(const Config& config);
    // The limits kept outside the settings snapshot (they hold state across connections).
    void apply_limits(const Config& config);
    void remove_partials(const std::vector<std::string>& tenants);
    void accept_loop();
    // Accepts every connection waiting in the backlog, admits or refuses each.
    void accept_pending(int listen_fd);
    void sweep_loop();
    void serve(Fd fd, std::string peer, Admission::Ticket ticket);
    void reap(bool all);

    const Config config_;  // as created: what only a restart changes (config_diff.hpp)
    plugin::HostServices& host_;
    LiveSettings settings_;
    Landing landing_;
    UploadQueue queue_;
    Sweeper sweeper_;
    PortPool ports_;
    BanList bans_;
    Admission connections_;
    Semaphore verifications_;
    boost::asio::io_context io_;

    std::mutex lifecycle_mutex_;
    std::atomic<bool> stopping_{false};
    std::unique_ptr<Shared> shared_;
    std::optional<boost::asio::ip::tcp::acceptor> acceptor_;
    uint16_t bound_port_ = 0;
    std::thread accept_thread_;
    std::thread sweep_thread_;
    std::mutex sweep_mutex_;
    std::condition_variable sweep_wake_;
    bool sweep_now_ = false;  // a reload asks for a sweep under its retention (sweep_mutex_)

    struct Worker {
        std::thread thread;
        std::atomic<bool> done{false};
    };
    std::mutex workers_mutex_;
    std::list<Worker> workers_;
};

}  // namespace sightline::intake_ftps
