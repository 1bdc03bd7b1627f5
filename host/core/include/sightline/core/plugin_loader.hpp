// Finding, checking and loading plugins. Every plugin is checked before any of its code runs
// beyond the dynamic loader: file trust (owner, permissions of the file and of every folder up to
// /, checked through the one descriptor that is then loaded), then its descriptor (API and ABI
// versions, identity, config schema). Listing probes each file in a child process, so a plugin
// that crashes while loading is reported by name instead of taking the command down.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sightline/plugin/api.hpp"

namespace sightline::core {

struct PluginInfo {
    std::string file;
    bool ok = false;
    std::string refusal;  // why the host refuses this file (when !ok)
    std::string id, kind, version, license, description, abi_tag;
    uint32_t api_major = 0, api_minor = 0;
    nlohmann::json schema = nlohmann::json::object();

    nlohmann::json to_json() const;
    static PluginInfo from_json(const nlohmann::json& j);
};

// Where plugins are looked for, in order: --plugin-path entries, SIGHTLINE_PLUGIN_PATH entries,
// the profile's plugins.path, then the plugin folder next to the executable
// (<prefix>/lib/sightline/plugins, the same in the build tree and the install tree).
std::vector<std::string> plugin_search_path(const std::string& cli_path,
                                            const std::vector<std::string>& profile_path);

// Plugin files (sightline-<id>.so) in the search path; a name found twice is taken from the
// first folder that has it.
std::vector<std::string> find_plugin_files(const std::vector<std::string>& search_path);

// The file of plugin id, or nullopt.
std::optional<std::string> find_plugin(const std::string& id,
                                       const std::vector<std::string>& search_path);

// "" when the file may be trusted, otherwise the reason. The file is opened once per process
// (O_NOFOLLOW: a symbolic link is refused) and that descriptor is what probes and loads use: a
// regular file owned by root or by this user, not writable by group or others, in folders (its
// real folder and each one above it up to /) owned by root or by this user and not writable by
// group or others unless sticky and owned by root (like /tmp). Details: plugin_trust.hpp.
std::string check_trust(const std::string& file);

// Checks a descriptor against this host. Fills info; returns false with info.refusal set.
bool check_descriptor(const sl_plugin_descriptor* d, PluginInfo& info);

// Loads the file in a child process, checks trust and descriptor there, and reports.
PluginInfo probe_plugin(const std::string& file,
                        std::chrono::milliseconds timeout = std::chrono::seconds(10));
// The same for several files at once: the children run side by side.
std::vector<PluginInfo> probe_plugins(const std::vector<std::string>& files,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(10));

// A plugin loaded into this process. Libraries stay loaded until the process ends: objects a
// plugin created may outlive any handle (GStreamer, OBS and DuckDB keep plugins resident too).
class LoadedPlugin {
public:
    const PluginInfo& info() const { return info_; }
    // Creates an instance; exceptions are rethrown as plugin::Error naming the plugin.
    std::unique_ptr<plugin::Plugin> create(const plugin::CreateContext& context) const;

private:
    friend const LoadedPlugin& load_plugin(const std::string& file);
    PluginInfo info_;
    const sl_plugin_descriptor* descriptor_ = nullptr;
};

// Loads a plugin in-process (RTLD_NOW | RTLD_LOCAL) after the trust and descriptor checks;
// throws plugin::Error with the reason. Loading the same file twice returns the same plugin.
const LoadedPlugin& load_plugin(const std::string& file);

}  // namespace sightline::core
