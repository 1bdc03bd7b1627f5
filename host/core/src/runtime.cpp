#include "sightline/core/runtime.hpp"

#include "sightline/core/evaluator_choice.hpp"

#include "sightline/core/audit_log.hpp"
#include "sightline/core/job_history.hpp"
#include "sightline/core/metrics.hpp"

#include "pooled_target.hpp"
#include "sightline/core/private_files.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>

namespace fs = std::filesystem;

namespace sightline::core {

using nlohmann::json;

Clock system_clock() {
    return [] {
        using namespace std::chrono;
        return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
    };
}

CheckedProfile check_profile(const std::string& path, const std::string& cli_plugin_path,
                             std::vector<ProfileError>& errors) {
    CheckedProfile checked;
    checked.profile = load_profile(path, errors);
    checked.search_path = plugin_search_path(cli_plugin_path, checked.profile.plugin_path);
    // Find every section's file, then probe them all side by side (each file once).
    std::vector<std::optional<std::string>> files;
    std::vector<std::string> unique_files;
    for (const auto& section : checked.profile.plugins) {
        files.push_back(find_plugin(section.plugin, checked.search_path));
        if (files.back() && std::find(unique_files.begin(), unique_files.end(), *files.back()) ==
                                unique_files.end())
            unique_files.push_back(*files.back());
    }
    std::map<std::string, PluginInfo> probed;
    const std::vector<PluginInfo> infos = probe_plugins(unique_files);
    for (size_t i = 0; i < unique_files.size(); ++i) probed[unique_files[i]] = infos[i];

    for (size_t i = 0; i < checked.profile.plugins.size(); ++i) {
        const PluginSection& section = checked.profile.plugins[i];
        ProfileError e;
        e.file = path;
        e.line = section.line;
        e.key = section.role + ".plugin";
        if (!files[i]) {
            std::string dirs;
            for (const auto& d : checked.search_path) dirs += (dirs.empty() ? "" : ", ") + d;
            e.message = "plugin '" + section.plugin + "' not found (looked for sightline-" +
                        section.plugin + ".so in: " + dirs + ")";
            errors.push_back(e);
            continue;
        }
        const PluginInfo& info = probed.at(*files[i]);
        if (!info.ok) {
            e.message = "plugin '" + section.plugin + "' refused: " + info.refusal;
            errors.push_back(e);
            continue;
        }
        if (info.kind != section.kind) {
            e.message = "plugin '" + section.plugin + "' is a " + info.kind + " plugin; " +
                        section.role + " needs a " + section.kind + " plugin";
            errors.push_back(e);
            continue;
        }
        checked.plugins[section.role] = info;
        checked.configs[section.role] =
            validate_config(section.config, info.schema, path, section.role + ".config", errors);
    }
    return checked;
}

// Host services for one plugin instance: its log lines carry the instance's role and plugin id.
class Runtime::Services : public plugin::HostServices {
public:
    Services(Runtime& runtime, std::string role, std::string plugin)
        : runtime_(runtime), role_(std::move(role)), plugin_(std::move(plugin)) {}

    void log(plugin::LogLevel level, std::string_view event,
             const plugin::LogFields& fields) override {
        plugin::LogFields all = fields;
        all["plugin"] = plugin_;
        runtime_.log().event(level, event, all);
    }

    std::string state_dir() override {
        std::string name = role_;
        for (char& c : name)
            if (c == '[' || c == ']') c = '_';
        fs::path dir = fs::path(runtime_.profile().state_dir) / "plugins" / name;
        make_private_folder(dir.parent_path().string());
        make_private_folder(dir.string());
        return dir.string();
    }

    int64_t now_us() override { return runtime_.clock()(); }

    std::vector<std::string> tenants() override {
        std::vector<std::string> out;
        for (const auto& t : runtime_.profile().tenants) out.push_back(t.id);
        return out;
    }

private:
    Runtime& runtime_;
    std::string role_;
    std::string plugin_;
};

Runtime::Runtime(const std::string& profile_path, const std::string& cli_plugin_path, Clock clock)
    : cli_plugin_path_(cli_plugin_path), clock_(std::move(clock)) {
    std::vector<ProfileError> errors;
    checked_ = check_profile(profile_path, cli_plugin_path, errors);
    profile_.store(&checked_.profile);
    if (!errors.empty()) {
        std::string text = "the profile has " + std::to_string(errors.size()) +
                           (errors.size() == 1 ? " error:" : " errors:");
        for (const auto& e : errors) text += "\n  " + e.to_string();
        throw StartupError(text);
    }
    const Profile& p = checked_.profile;
    if (!p.log.file.empty())
        fs::create_directories(
            fs::path(p.log.file).parent_path().empty() ? "." : fs::path(p.log.file).parent_path());
    log_ = std::make_unique<EventLog>(p.log.format, p.log.level, p.log.file);
    make_private_folder(p.state_dir);
    // Before any plugin starts, so that every event of this process reaches them.
    try {
        audit_ = std::make_shared<AuditLog>(p.audit, p.audit_file(), clock_);
        jobs_ = std::make_shared<JobHistory>(JobHistory::path_in(p.state_dir));
    } catch (const std::exception& e) {
        throw StartupError(e.what());
    }
    std::vector<std::string> tenant_ids;
    for (const auto& t : p.tenants) tenant_ids.push_back(t.id);
    metrics_ = std::make_shared<Metrics>(tenant_ids);
    log_->add_sink(audit_);
    log_->add_sink(jobs_);
    log_->add_sink(metrics_);

    for (const auto& section : p.plugins) {
        const PluginInfo& info = checked_.plugins.at(section.role);
        try {
            const LoadedPlugin& loaded = load_plugin(info.file);
            services_.push_back(std::make_unique<Services>(*this, section.role, info.id));
            plugin::CreateContext context;
            context.host = services_.back().get();
            context.config_json = checked_.configs.at(section.role).dump();
            context.instance_name = section.role;
            std::unique_ptr<plugin::Plugin> instance = loaded.create(context);
            plugin::Plugin* raw = instance.get();
            instances_.push_back(std::move(instance));
            by_role_[section.role] = raw;
            live_configs_[section.role] = context.config_json;
            bool fits = false;
            if (section.kind == "archive")
                fits = (archive_ = dynamic_cast<plugin::Archive*>(raw)) != nullptr;
            else if (section.kind == "target") {
                auto* t = dynamic_cast<plugin::Target*>(raw);
                if (section.role == "target")
                    target_ = t;
                else
                    named_targets_[section.role.substr(std::string("targets.").size())] = t;
                fits = t != nullptr;
            } else if (section.kind == "transport") {
                auto* t = dynamic_cast<plugin::Transport*>(raw);
                if (t) transports_.push_back(t);
                fits = t != nullptr;
            } else if (section.kind == "evaluator") {
                // The rule tree crosses the boundary since 1.2: an older evaluator would read
                // a different EvaluationRequest.
                require_api(section.role, 2, "a segment evaluator");
                auto* e = dynamic_cast<plugin::Evaluator*>(raw);
                if (e) evaluators_.push_back({info.id, e, info.api_minor});
                fits = e != nullptr;
            } else if (section.kind == "service") {
                auto* s = dynamic_cast<plugin::Service*>(raw);
                if (s) service_plugins_.push_back(s);
                fits = s != nullptr;
            }
            if (!fits)
                throw plugin::Error("plugin '" + info.id + "' declares kind " + info.kind +
                                    " but its object does not implement that interface");
            log_->event(plugin::LogLevel::debug, "plugin.started",
                        {{"plugin", info.id}, {"role", section.role}, {"version", info.version}});
        } catch (const std::exception& e) {
            throw StartupError(std::string(e.what()) + " (" + section.role + " in " + profile_path +
                               ")");
        }
    }
    // Two tenants must never share a database (issue 13): the targets name their storage.
    const StorageNameCheck storage = check_storage(p.tenants);
    if (!storage.errors.empty()) {
        std::string text = "the profile has " + std::to_string(storage.errors.size()) +
                           (storage.errors.size() == 1 ? " error:" : " errors:");
        for (const auto& e : storage.errors) text += "\n  " + profile_path + ": " + e;
        throw StartupError(text);
    }
    for (const auto& w : storage.warnings)
        log_->event(plugin::LogLevel::warn, "target.storage_names_unchecked", {{"reason", w}});
    // From here every store of every target section goes through the one budget.
    store_pool_ = std::make_unique<StorePool>(p.target_connections);
    auto pooled = [&](const std::string& role, plugin::Target* raw) -> plugin::Target* {
        pooled_targets_.push_back(
            std::make_unique<PooledTarget>(*raw, *store_pool_, plugin_info(role).api_minor));
        return pooled_targets_.back().get();
    };
    if (target_) target_ = pooled("target", target_);
    for (auto& [name, t] : named_targets_) t = pooled("targets." + name, t);
    if (!p.edge) {
        pipeline_ = std::make_unique<Pipeline>(*archive_, *target_, p.tenants, *log_, clock_);
        pipeline_->set_after_removal(
            [this](const std::string& tenant) { notify_data_removed(*this, tenant); });
    }
}

StorageNameCheck Runtime::check_storage(const std::vector<TenantProfile>& tenants) const {
    StorageNameCheck out;
    if (target_) check_storage_names(*target_, plugin_info("target"), "target", tenants, out);
    for (const auto& [name, t] : named_targets_)
        check_storage_names(*t, plugin_info("targets." + name), "targets." + name, tenants, out);
    return out;
}

void Runtime::require_data(const char* what) const {
    if (checked_.profile.edge)
        throw StartupError(std::string(what) + " needs the core profile: " + checked_.profile.file +
                           " is an edge profile (role: edge), which keeps no data");
}

Runtime::~Runtime() {
    pipeline_.reset();
    // The idle stores are closed while their plugins still exist.
    target_ = nullptr;
    named_targets_.clear();
    pooled_targets_.clear();
    store_pool_.reset();
    while (!instances_.empty()) instances_.pop_back();
    // The sinks outlive the plugins' last events; the audit log fsyncs as it closes.
    if (log_) {
        log_->remove_sink(metrics_.get());
        log_->remove_sink(jobs_.get());
        log_->remove_sink(audit_.get());
    }
}

plugin::Target& Runtime::target(const std::string& section) {
    auto it = named_targets_.find(section);
    if (it != named_targets_.end()) return *it->second;
    std::string known;
    for (const auto& [name, t] : named_targets_) known += (known.empty() ? "" : ", ") + name;
    throw StartupError("the profile has no target section '" + section + "' under targets:" +
                       (known.empty() ? std::string(" it defines none") : " it has " + known));
}

const PluginInfo& Runtime::plugin_info(const std::string& role) const {
    auto it = checked_.plugins.find(role);
    if (it == checked_.plugins.end()) throw StartupError("no plugin section '" + role + "'");
    return it->second;
}

void Runtime::require_api(const std::string& role, uint32_t minor,
                          const std::string& feature) const {
    const PluginInfo& info = plugin_info(role);
    if (info.api_major == SIGHTLINE_PLUGIN_API_MAJOR && info.api_minor >= minor) return;
    throw plugin::Error(feature + " needs a plugin built for plugin API " +
                        std::to_string(SIGHTLINE_PLUGIN_API_MAJOR) + "." + std::to_string(minor) +
                        " or later; '" + info.id + "' (" + role + ") was built for " +
                        std::to_string(info.api_major) + "." + std::to_string(info.api_minor) +
                        ": rebuild it against this SDK");
}

std::string Runtime::plugin_id(const std::string& role) const {
    auto it = checked_.plugins.find(role);
    return it == checked_.plugins.end() ? "" : it->second.id;
}

}  // namespace sightline::core
