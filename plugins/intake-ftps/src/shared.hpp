// What every session shares with the server: live settings, host, landing, queue, limits.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "config.hpp"
#include "landing.hpp"
#include "limits.hpp"
#include "passive.hpp"
#include "settings.hpp"
#include "sightline/plugin/transport.hpp"
#include "upload_queue.hpp"

namespace sightline::intake_ftps {

struct Shared {
    // Config, tenants and TLS context: read once per command, never held across a reload
    // except by the work that started under them.
    const LiveSettings& settings;
    plugin::HostServices& host;
    const Landing& landing;  // the folder cannot change without a restart
    UploadQueue& queue;
    PortPool& ports;
    boost::asio::io_context& io;
    BanList& bans;
    Semaphore& verifications;
    const std::atomic<bool>& stopping;
    plugin::UploadSink& sink;
    std::string dummy_hash;  // verified for unknown users, so timing tells nothing
};

}  // namespace sightline::intake_ftps
