#include "sightline/core/storage_names.hpp"

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <map>

#include "sightline/core/runtime.hpp"

namespace fs = std::filesystem;

namespace sightline::core {

namespace {

// storage_name() was appended to Target in 1.4: an older plugin's vtable has no such slot.
constexpr uint32_t kStorageNameMinor = 4;

// What a target section created for `profile check` may use: no log, a throw-away state folder
// (a plugin may create its own folders under it), the profile's tenants.
class CheckHost final : public plugin::HostServices {
public:
    explicit CheckHost(std::vector<std::string> tenants) : tenants_(std::move(tenants)) {}
    ~CheckHost() override {
        std::error_code ec;
        if (!dir_.empty()) fs::remove_all(dir_, ec);
    }
    void log(plugin::LogLevel, std::string_view, const plugin::LogFields&) override {}
    std::string state_dir() override {
        if (dir_.empty()) {
            std::string pattern = (fs::temp_directory_path() / "sightline-check.XXXXXX").string();
            if (!::mkdtemp(pattern.data())) throw plugin::Error("cannot make a temporary folder");
            dir_ = pattern;
        }
        return dir_;
    }
    int64_t now_us() override {
        using namespace std::chrono;
        return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
    }
    std::vector<std::string> tenants() override { return tenants_; }

private:
    std::vector<std::string> tenants_;
    std::string dir_;
};

// True (with a warning) when the plugin was built before storage_name() existed.
bool too_old(const PluginInfo& info, const std::string& where, bool any_tenant,
             StorageNameCheck& out) {
    if (info.api_major == SIGHTLINE_PLUGIN_API_MAJOR && info.api_minor >= kStorageNameMinor)
        return false;
    if (any_tenant)
        out.warnings.push_back(
            where + " was built for plugin API " + std::to_string(info.api_major) + "." +
            std::to_string(info.api_minor) +
            ", which cannot say how it names a tenant's storage (API 1.4): the host cannot check "
            "that no two tenants share a database; rebuild it against this SDK");
    return true;
}

}  // namespace

void check_storage_names(const plugin::Target& target, const PluginInfo& info,
                         const std::string& role, const std::vector<TenantProfile>& tenants,
                         StorageNameCheck& out) {
    const std::string where = role + " (" + info.id + ")";
    if (too_old(info, where, !tenants.empty(), out)) return;
    std::map<std::string, std::string> owner;  // storage name -> first tenant with it
    bool unnamed = false;
    for (const auto& tenant : tenants) {
        std::string name;
        try {
            name = target.storage_name(tenant.id);
        } catch (const std::exception& e) {
            out.errors.push_back(where + ": tenant '" + tenant.id + "': " + e.what());
            continue;
        }
        if (name.empty()) {
            unnamed = true;
            continue;
        }
        const auto [it, fresh] = owner.emplace(name, tenant.id);
        if (!fresh)
            out.errors.push_back("tenants '" + it->second + "' and '" + tenant.id +
                                 "' would share the storage '" + name + "' of " + where +
                                 ": their data would mix; rename one of them");
    }
    if (unnamed)
        out.warnings.push_back(where +
                               " does not name its tenants' storage: the host cannot check that no "
                               "two tenants share a database");
}

StorageNameCheck check_storage_names(const CheckedProfile& checked) {
    StorageNameCheck out;
    std::vector<std::string> ids;
    for (const auto& t : checked.profile.tenants) ids.push_back(t.id);
    for (const auto& section : checked.profile.plugins) {
        if (section.kind != "target") continue;
        const auto info = checked.plugins.find(section.role);
        const auto config = checked.configs.find(section.role);
        if (info == checked.plugins.end() || config == checked.configs.end()) continue;
        // Too old to be asked: no need to create it.
        if (too_old(info->second, section.role + " (" + info->second.id + ")", !ids.empty(), out))
            continue;
        try {
            CheckHost host(ids);
            plugin::CreateContext context;
            context.host = &host;
            context.config_json = config->second.dump();
            context.instance_name = section.role;
            const std::unique_ptr<plugin::Plugin> instance =
                load_plugin(info->second.file).create(context);
            const auto* target = dynamic_cast<const plugin::Target*>(instance.get());
            if (!target)
                throw plugin::Error("plugin '" + info->second.id +
                                    "' declares kind target but its object is no target");
            check_storage_names(*target, info->second, section.role, checked.profile.tenants, out);
        } catch (const std::exception& e) {
            out.errors.push_back(
                section.role + " (" + info->second.id +
                "): cannot be created to check its tenants' storage names: " + e.what());
        }
    }
    return out;
}

}  // namespace sightline::core
