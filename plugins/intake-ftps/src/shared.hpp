// What every session shares with the server: configuration, host, landing, queue, TLS, limits.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "config.hpp"
#include "landing.hpp"
#include "limits.hpp"
#include "passive.hpp"
#include "sightline/plugin/transport.hpp"
#include "tls_context.hpp"
#include "upload_queue.hpp"

namespace sightline::intake_ftps {

struct Shared {
    const Config& config;
    plugin::HostServices& host;
    const Landing& landing;
    UploadQueue& queue;
    const TlsContext& tls;
    PortPool& ports;
    boost::asio::io_context& io;
    BanList& bans;
    Semaphore& verifications;
    const std::atomic<bool>& stopping;
    plugin::UploadSink& sink;
    std::vector<std::string> tenants;  // the profile's, as of start()
    std::string dummy_hash;            // verified for unknown users, so timing tells nothing
};

}  // namespace sightline::intake_ftps
