// The relay: a transport whose sink forwards each upload to the load server's FTPS intake and
// returns the load server's verdict. The intake transports of the same profile submit to it.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "backoff.hpp"
#include "ftps_client.hpp"
#include "relay_config.hpp"
#include "sightline/plugin/transport.hpp"

namespace sightline::relay_ftps {

// submit() may be called from several intake threads; deliveries go one at a time over one
// connection (a mutex), which keeps a single TLS session and the backoff state consistent.
class RelayFtps final : public plugin::Transport, public plugin::UploadSink {
public:
    RelayFtps(RelayConfig config, plugin::HostServices& host);

    // Transport: the relay has no threads of its own; start/stop only open and close the door.
    void start(plugin::UploadSink& sink) override;
    void stop() override;
    plugin::UploadSink* relay() override { return this; }

    // UploadSink: delivers one upload and returns the load server's outcome, or retry.
    plugin::UploadResult submit(const plugin::Upload& upload) override;

private:
    plugin::UploadResult deliver(const plugin::Upload& upload, const std::string& remote);
    plugin::UploadResult retry(const plugin::Upload& upload, const std::string& reason,
                               bool back_off);

    RelayConfig config_;
    plugin::HostServices& host_;
    std::atomic<bool> stopped_{false};
    std::mutex mutex_;  // guards client_ and backoff_
    ftps_client::FtpsClient client_;
    Backoff backoff_;
};

}  // namespace sightline::relay_ftps
