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
    // Below: made here, not by the server (default member initialisers).
    AccountSessions account_sessions{};  // logged-in sessions per account
    // Keys the short tag logged for an unknown user name (session.cpp): random per start and
    // never written anywhere, so a tag cannot be turned back into the name typed.
    std::string log_key = random_hex(32);
};

}  // namespace sightline::intake_ftps
