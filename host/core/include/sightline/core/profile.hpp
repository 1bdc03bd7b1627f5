// A deployment profile (YAML): which plugins, their config, the tenants, paths, logging.
// Loading checks everything that can be checked without plugins; plugin sections are checked
// against each plugin's schema once the plugins are probed (see plugin_loader.hpp).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sightline/core/config_schema.hpp"

namespace sightline::core {

struct TenantProfile {
    std::string id;
    char delimiter = ',';
    bool allow_pii = false;
    int active_days = 90;
    int inactive_days = 365;
};

struct PluginSection {
    std::string role;    // "archive", "target", "targets.<name>", "transports[0]", ...
    std::string plugin;  // plugin id
    std::string kind;    // the kind the role requires
    YAML::Node config;   // raw section, validated against the plugin's schema later
    int line = 0;
};

struct LogSettings {
    std::string format = "text";  // text | json
    std::string level = "info";   // debug | info | warn | error
    std::string file;             // "" = stderr
};

struct Profile {
    std::string file;
    std::string state_dir = "./var/state";
    LogSettings log;
    std::vector<std::string> plugin_path;
    std::optional<std::vector<std::string>> plugin_allow;
    std::vector<PluginSection> plugins;  // archive, target, then transports, evaluators, services
    std::vector<TenantProfile> tenants;

    const TenantProfile* tenant(const std::string& id) const;
    const PluginSection* section(const std::string& role) const;
};

// True for ids of the form [a-z0-9][a-z0-9_-]{0,63}: safe as a folder or database name.
bool valid_tenant_id(const std::string& id);

// Parses and checks a profile. Errors are appended (each names file, line, key); the profile is
// usable only when none were added.
Profile load_profile(const std::string& path, std::vector<ProfileError>& errors);

}  // namespace sightline::core
