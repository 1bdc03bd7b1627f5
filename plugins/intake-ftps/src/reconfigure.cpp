// Server::reconfigure (API 1.3, `sightline serve` on SIGHUP) and what it shares with start().
//
// Validate everything first (parse, restart-only keys, tenants, TLS files), then publish one new
// settings snapshot. Sessions take the snapshot before each command, so a transfer in progress
// finishes under the limits it started with, and a session keeps the TLS context it shook hands
// with: its data connections must resume its TLS session, which lives in that context only.
#include <filesystem>
#include <string>

#include "config_diff.hpp"
#include "server.hpp"
#include "sightline/ftps/tls_policy.hpp"

namespace sightline::intake_ftps {

using plugin::LogLevel;

namespace {

std::string joined(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : ",") + item;
    return text;
}

}  // namespace

void Server::ensure_certificate(const Config& config) {
    if (!config.self_signed || (std::filesystem::exists(config.certificate) &&
                                std::filesystem::exists(config.private_key))) {
        return;
    }
    try {
        ftps::ensure_self_signed(config.certificate, config.private_key,
                                 {config.listen_host, "localhost"});
    } catch (const std::exception& e) {
        throw plugin::Error(std::string("intake-ftps: cannot create a self-signed certificate: ") +
                            e.what());
    }
    host_.log(LogLevel::warn, "intake_ftps.self_signed",
              {{"certificate", config.certificate}, {"key", config.private_key}});
}

void Server::apply_limits(const Config& config) {
    const Limits& l = config.limits;
    bans_.set_limits(l.ban_failures, l.ban_window_seconds * 1'000'000, l.ban_seconds * 1'000'000);
    connections_.set_limits(l.max_connections, l.max_per_address);
    queue_.set_retry_interval_seconds(config.retry_interval_seconds);
}

bool Server::reconfigure(const std::string& config_json) {
    Config next = parse_config(config_json);
    std::lock_guard<std::mutex> lifecycle(lifecycle_mutex_);
    const std::vector<std::string> restart = restart_only_changes(config_, next);
    if (!restart.empty()) {
        host_.log(LogLevel::warn, "intake_ftps.restart_needed", {{"keys", joined(restart)}});
        return false;
    }
    const std::vector<std::string> tenants = host_.tenants();
    check_tenants(next, tenants);
    const std::shared_ptr<const Settings> current = settings_.get();
    const bool running = accept_thread_.joinable();
    std::shared_ptr<const TlsContext> tls = current->tls;
    if (running) {
        ensure_certificate(next);
        tls = std::make_shared<const TlsContext>(next);
        // Folders of tenants added to the profile. Creating them changes nothing for anyone
        // else, so a failure further on leaves nothing to undo.
        landing_.prepare(tenants);
    }
    const AccountChanges accounts = diff_accounts(current->config.accounts, next.accounts);
    const int64_t retention_hours = next.retention_hours;
    const int64_t sweep_interval_seconds = next.sweep_interval_seconds;
    apply_limits(next);
    settings_.set(std::make_shared<const Settings>(Settings{std::move(next), tenants, tls}));
    if (running) {
        {
            std::lock_guard<std::mutex> lock(sweep_mutex_);
            sweep_now_ = true;
        }
        sweep_wake_.notify_all();
    }
    host_.log(LogLevel::info, "intake_ftps.reconfigured",
              {{"accounts_added", joined(accounts.added)},
               {"accounts_removed", joined(accounts.removed)},
               {"accounts_changed", joined(accounts.changed)},
               {"tenants", std::to_string(tenants.size())},
               {"retention_hours", std::to_string(retention_hours)},
               {"sweep_interval_seconds", std::to_string(sweep_interval_seconds)},
               {"tls", running ? "reloaded" : "at start"}});
    return true;
}

}  // namespace sightline::intake_ftps
