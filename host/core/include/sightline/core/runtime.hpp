// Wiring: a profile's plugins found, checked, loaded and created, with the pipeline between them.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sightline/core/event_log.hpp"
#include "sightline/core/pipeline.hpp"
#include "sightline/core/plugin_loader.hpp"
#include "sightline/core/profile.hpp"
#include "sightline/core/storage_names.hpp"
#include "sightline/core/store_pool.hpp"
#include "sightline/plugin/archive.hpp"
#include "sightline/plugin/evaluator.hpp"
#include "sightline/plugin/service.hpp"
#include "sightline/plugin/target.hpp"
#include "sightline/plugin/transport.hpp"

namespace sightline::core {

class AuditLog;
class JobHistory;
class Metrics;

using Clock = std::function<int64_t()>;  // microseconds since the epoch, UTC
Clock system_clock();

// A profile checked as far as it can be without starting anything: its own keys, then each
// plugin section against the plugin's probed descriptor and config schema.
struct CheckedProfile {
    Profile profile;
    std::map<std::string, PluginInfo> plugins;      // by role
    std::map<std::string, nlohmann::json> configs;  // by role, defaults applied
    std::vector<std::string> search_path;
};

CheckedProfile check_profile(const std::string& path, const std::string& cli_plugin_path,
                             std::vector<ProfileError>& errors);

// Thrown when the runtime cannot start; what() names the plugin or the profile problem.
class StartupError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Runtime {
public:
    // Checks the profile, loads and creates every plugin. Throws StartupError.
    Runtime(const std::string& profile_path, const std::string& cli_plugin_path,
            Clock clock = system_clock());
    ~Runtime();

    // The profile in force: the one read at start, or the last one a reload accepted. A reference
    // stays valid for the runtime's life (reloaded profiles are kept), so a load that started
    // under one profile finishes under it.
    const Profile& profile() const { return *profile_.load(); }

    // SIGHUP: re-reads and checks the profile. An invalid profile changes nothing. Otherwise the
    // tenants take effect (pipeline, metrics, plugins' HostServices::tenants()), each plugin
    // whose section changed is reconfigured when it can be (API 1.3, plugin::Reconfigurable),
    // and the new profile is in force for the host's own settings (the caller applies its
    // listeners and operators from profile()). Adding, removing or swapping plugins, and
    // changing state_dir, log, role or listen addresses, needs a restart: named in the report.
    struct ReloadReport {
        std::vector<std::string> applied;         // what took effect
        std::vector<std::string> restart_needed;  // what waits for a restart
        std::vector<std::string> errors;          // why nothing was applied (profile errors)
    };
    ReloadReport reload();
    EventLog& log() { return *log_; }
    // Observers of the event stream, there in every command: the audit log (Profile::audit_file),
    // the job history (<state_dir>/jobs.sqlite) and the metrics that /metrics serves.
    AuditLog& audit() { return *audit_; }
    JobHistory& jobs() { return *jobs_; }
    Metrics& metrics() { return *metrics_; }
    const Clock& clock() const { return clock_; }
    // The data side: absent in an edge profile, where these throw StartupError.
    plugin::Archive& archive() {
        require_data("the archive");
        return *archive_;
    }
    plugin::Target& target() {
        require_data("the tenant database");
        return *target_;
    }
    // A named section of the profile's `targets:`; throws StartupError naming the known ones.
    // Every target the runtime hands out opens its stores through store_pool().
    plugin::Target& target(const std::string& section);
    // The process's budget of target connections (the profile's `target_connections:`).
    StorePool& store_pool() { return *store_pool_; }
    // Whether tenants would share storage in any target section (see storage_names.hpp).
    StorageNameCheck check_storage(const std::vector<TenantProfile>& tenants) const;
    // The probed descriptor of a role's plugin.
    const PluginInfo& plugin_info(const std::string& role) const;
    // Throws plugin::Error when the role's plugin was built against an API older than
    // major.minor, naming the feature that needs it (calling a newer method would crash).
    void require_api(const std::string& role, uint32_t minor, const std::string& feature) const;
    const std::vector<plugin::Transport*>& transports() const { return transports_; }
    // The profile's `evaluators:`, in order, with their plugin ids.
    struct EvaluatorPlugin {
        std::string id;
        plugin::Evaluator* evaluator = nullptr;
        uint32_t api_minor = 0;  // methods added after it are never called on it
    };
    const std::vector<EvaluatorPlugin>& evaluators() const { return evaluators_; }
    // The profile's `services:`, in order.
    const std::vector<plugin::Service*>& service_plugins() const { return service_plugins_; }
    Pipeline& pipeline() {
        require_data("loading");
        return *pipeline_;
    }
    bool edge() const { return checked_.profile.edge; }
    // Plugin id of a role ("archive", "target", "transports[0]", ...).
    std::string plugin_id(const std::string& role) const;

private:
    void require_data(const char* what) const;
    class Services;
    CheckedProfile checked_;  // as read at start: the plugins, which never change live
    std::string cli_plugin_path_;
    std::atomic<const Profile*> profile_{nullptr};
    std::vector<std::unique_ptr<CheckedProfile>> reloaded_;  // every accepted reload, kept
    std::map<std::string, std::string> live_configs_;        // role -> config in force
    std::map<std::string, plugin::Plugin*> by_role_;
    Clock clock_;
    std::unique_ptr<EventLog> log_;
    std::shared_ptr<AuditLog> audit_;
    std::shared_ptr<JobHistory> jobs_;
    std::shared_ptr<Metrics> metrics_;
    std::vector<std::unique_ptr<Services>> services_;
    std::vector<std::unique_ptr<plugin::Plugin>> instances_;  // destroyed in reverse order
    plugin::Archive* archive_ = nullptr;
    plugin::Target* target_ = nullptr;
    std::map<std::string, plugin::Target*> named_targets_;
    std::vector<plugin::Transport*> transports_;
    std::vector<EvaluatorPlugin> evaluators_;
    std::vector<plugin::Service*> service_plugins_;
    std::unique_ptr<Pipeline> pipeline_;
    std::unique_ptr<StorePool> store_pool_;
    std::vector<std::unique_ptr<plugin::Target>> pooled_targets_;  // what target_ and
                                                                   // named_targets_ point to
};

}  // namespace sightline::core
