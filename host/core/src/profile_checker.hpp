// The profile reader's checking helpers, shared by the files that read the profile's sections.
// Each failure is recorded with file, line, column and key, and reading goes on, so that one
// run reports every mistake.
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sightline/core/config_schema.hpp"
#include "sightline/core/profile.hpp"

namespace sightline::core::detail {

struct Checker {
    std::string file;
    std::vector<ProfileError>& errors;

    void fail(const YAML::Node& node, const std::string& key, const std::string& message) {
        ProfileError e;
        e.file = file;
        e.key = key;
        e.message = message;
        if (node.IsDefined() && node.Mark().line >= 0) {
            e.line = node.Mark().line + 1;
            e.column = node.Mark().column + 1;
        }
        errors.push_back(e);
    }

    // Reports keys of a mapping that are not in allowed, listing the allowed ones.
    void only_keys(const YAML::Node& map, const std::string& path,
                   const std::vector<std::string>& allowed) {
        if (!map.IsMap()) return;
        for (const auto& kv : map) {
            const std::string key = kv.first.Scalar();
            bool ok = false;
            for (const auto& a : allowed) ok = ok || a == key;
            if (ok) continue;
            std::string list;
            for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
            fail(kv.first, path.empty() ? key : path + "." + key,
                 "unknown key; allowed keys: " + list);
        }
    }

    bool scalar(const YAML::Node& node, const std::string& key, std::string& out) {
        if (!node.IsDefined() || node.IsNull()) return false;
        if (!node.IsScalar()) {
            fail(node, key, "expected a single value");
            return false;
        }
        std::string error;
        if (!substitute_env(node.Scalar(), out, error)) {
            fail(node, key, error);
            return false;
        }
        return true;
    }

    void boolean(const YAML::Node& node, const std::string& key, bool& out) {
        std::string text;
        if (!scalar(node, key, text)) return;
        if (text == "true" || text == "yes")
            out = true;
        else if (text == "false" || text == "no")
            out = false;
        else
            fail(node, key, "expected true or false, found '" + text + "'");
    }

    void integer(const YAML::Node& node, const std::string& key, int& out, int min, int max) {
        std::string text;
        if (!scalar(node, key, text)) return;
        try {
            size_t used = 0;
            int v = std::stoi(text, &used);
            if (used != text.size()) throw std::invalid_argument(text);
            if (v < min || v > max) {
                fail(node, key,
                     "must be between " + std::to_string(min) + " and " + std::to_string(max));
                return;
            }
            out = v;
        } catch (const std::exception&) {
            fail(node, key, "expected an integer, found '" + text + "'");
        }
    }

    void string_list(const YAML::Node& node, const std::string& key,
                     std::vector<std::string>& out) {
        if (!node.IsDefined() || node.IsNull()) return;
        if (!node.IsSequence()) {
            fail(node, key, "expected a list");
            return;
        }
        for (size_t i = 0; i < node.size(); ++i) {
            std::string v;
            if (scalar(node[i], key + "[" + std::to_string(i) + "]", v)) out.push_back(v);
        }
    }

    void plugin_section(const YAML::Node& node, const std::string& role, const std::string& kind,
                        Profile& profile) {
        if (!node.IsMap()) {
            fail(node, role, "expected a mapping with 'plugin' and 'config'");
            return;
        }
        only_keys(node, role, {"plugin", "config"});
        PluginSection s;
        s.role = role;
        s.kind = kind;
        s.line = node.Mark().line + 1;
        if (!scalar(node["plugin"], role + ".plugin", s.plugin)) {
            if (!node["plugin"].IsDefined())
                fail(node, role + ".plugin", "required key is missing");
            return;
        }
        if (node["config"].IsDefined()) s.config.reset(node["config"]);
        profile.plugins.push_back(s);
    }
};

// Sections read in profile_operations.cpp.
void read_trusted_hosts(Checker& c, const YAML::Node& listener, const Profile& p, ApiSettings& out);
void read_operators(Checker& c, const YAML::Node& node, Profile& p);
void read_audit(Checker& c, const YAML::Node& node, Profile& p);
// Read in profile_target_connections.cpp.
void read_target_connections(Checker& c, const YAML::Node& node, Profile& p);

}  // namespace sightline::core::detail
