// Runtime::reload: what a SIGHUP changes in a running `sightline serve` (docs/operations.md).
#include "sightline/core/metrics.hpp"
#include "sightline/core/runtime.hpp"

namespace sightline::core {

namespace {

std::map<std::string, std::string> plugins_by_role(const CheckedProfile& checked) {
    std::map<std::string, std::string> out;
    for (const auto& [role, info] : checked.plugins) out[role] = info.id;
    return out;
}

// Why the listeners cannot move without a restart: they are bound sockets.
bool same_listen(const std::optional<ApiSettings>& a, const std::optional<ApiSettings>& b) {
    if (a.has_value() != b.has_value()) return false;
    return !a || (a->listen == b->listen && a->tls == b->tls);
}

}  // namespace

Runtime::ReloadReport Runtime::reload() {
    ReloadReport report;
    const Profile& old = profile();
    std::vector<ProfileError> errors;
    auto next = std::make_unique<CheckedProfile>(check_profile(old.file, cli_plugin_path_, errors));
    if (!errors.empty()) {
        for (const auto& e : errors) report.errors.push_back(e.to_string());
        return report;
    }
    const Profile& fresh = next->profile;
    // New tenants must not share a database with anyone: checked by the running targets.
    const StorageNameCheck storage = check_storage(fresh.tenants);
    if (!storage.errors.empty()) {
        report.errors = storage.errors;
        return report;
    }

    if (fresh.edge != old.edge) report.restart_needed.push_back("role");
    if (fresh.state_dir != old.state_dir) report.restart_needed.push_back("state_dir");
    if (fresh.log.file != old.log.file || fresh.log.format != old.log.format ||
        fresh.log.level != old.log.level)
        report.restart_needed.push_back("log");
    if (fresh.audit_file() != old.audit_file()) report.restart_needed.push_back("audit.file");
    if (!same_listen(fresh.api, old.api)) report.restart_needed.push_back("api.listen / api.tls");
    if (!same_listen(fresh.reports, old.reports)) report.restart_needed.push_back("reports.listen");

    // The host's own settings: tenants now; listeners and operators by the caller.
    std::vector<std::string> tenant_ids;
    for (const auto& t : fresh.tenants) tenant_ids.push_back(t.id);
    if (pipeline_) pipeline_->set_tenants(fresh.tenants);
    if (metrics_) metrics_->set_tenants(tenant_ids);
    report.applied.push_back("tenants");
    if (store_pool_) {
        const TargetConnections before = store_pool_->budget();
        store_pool_->set_budget(fresh.target_connections);
        if (before.max != fresh.target_connections.max ||
            before.wait_ms != fresh.target_connections.wait_ms)
            report.applied.push_back("target_connections");
    }
    // Before the plugins: they read the tenants through HostServices while reconfiguring.
    const CheckedProfile& kept = *next;
    reloaded_.push_back(std::move(next));
    profile_.store(&fresh);

    // Plugins: the same roles with the same plugins, or nothing of theirs changes.
    if (plugins_by_role(kept) != plugins_by_role(checked_)) {
        report.restart_needed.push_back("plugins (a plugin was added, removed or replaced)");
    } else {
        for (const auto& [role, config] : kept.configs) {
            const std::string text = config.dump();
            const bool changed = live_configs_[role] != text;
            const PluginInfo& info = kept.plugins.at(role);
            // (A plugin built before 1.3 cannot derive from Reconfigurable.)
            auto* reconfigurable = dynamic_cast<plugin::Reconfigurable*>(by_role_.at(role));
            // Reconfigurable plugins hear of every reload, changed section or not: a certificate
            // renewed at the same path is read again.
            if (!changed && !reconfigurable) continue;
            if (!reconfigurable) {
                report.restart_needed.push_back(role + " (" + info.id +
                                                " cannot change its config live)");
                continue;
            }
            try {
                if (reconfigurable->reconfigure(text)) {
                    live_configs_[role] = text;
                    report.applied.push_back(role);
                } else if (changed) {
                    report.restart_needed.push_back(role + " (a setting " + info.id +
                                                    " applies only at start)");
                }
            } catch (const std::exception& e) {
                report.errors.push_back(role + ": " + e.what() + " (its old config stays)");
            }
        }
    }

    return report;
}

}  // namespace sightline::core
