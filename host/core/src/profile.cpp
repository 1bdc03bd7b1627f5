#include "sightline/core/profile.hpp"

#include <fstream>
#include <regex>
#include <set>

namespace sightline::core {

namespace {

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

const std::vector<std::string> top_keys = {"version",    "state_dir", "log",     "plugins",
                                           "archive",    "target",    "targets", "transports",
                                           "evaluators", "services",  "tenants"};

void read_tenants(Checker& c, const YAML::Node& node, Profile& p) {
    if (!node.IsDefined()) {
        c.fail(node, "tenants", "required key is missing (a list of tenants)");
        return;
    }
    if (!node.IsSequence()) {
        c.fail(node, "tenants", "expected a list of tenants");
        return;
    }
    std::set<std::string> seen;
    for (size_t i = 0; i < node.size(); ++i) {
        const YAML::Node& t = node[i];
        const std::string key = "tenants[" + std::to_string(i) + "]";
        if (!t.IsMap()) {
            c.fail(t, key, "expected a mapping with at least 'id'");
            continue;
        }
        c.only_keys(t, key, {"id", "delimiter", "allow_pii", "active_days", "inactive_days"});
        TenantProfile tenant;
        if (!c.scalar(t["id"], key + ".id", tenant.id)) {
            if (!t["id"].IsDefined()) c.fail(t, key + ".id", "required key is missing");
            continue;
        }
        if (!valid_tenant_id(tenant.id)) {
            c.fail(t["id"], key + ".id",
                   "tenant id '" + tenant.id + "' is not allowed: use [a-z0-9][a-z0-9_-]{0,63}");
            continue;
        }
        if (!seen.insert(tenant.id).second)
            c.fail(t["id"], key + ".id", "tenant '" + tenant.id + "' is defined twice");
        std::string delimiter;
        if (c.scalar(t["delimiter"], key + ".delimiter", delimiter)) {
            if (delimiter == "\\t" || delimiter == "tab" || delimiter == "\t")
                tenant.delimiter = '\t';
            else if (delimiter == "," || delimiter == ";" || delimiter == "|")
                tenant.delimiter = delimiter[0];
            else
                c.fail(t["delimiter"], key + ".delimiter", "must be one of ',', ';', '|' or tab");
        }
        c.boolean(t["allow_pii"], key + ".allow_pii", tenant.allow_pii);
        c.integer(t["active_days"], key + ".active_days", tenant.active_days, 1, 36500);
        c.integer(t["inactive_days"], key + ".inactive_days", tenant.inactive_days, 1, 36500);
        if (tenant.inactive_days <= tenant.active_days)
            c.fail(t, key + ".inactive_days", "must be greater than active_days");
        p.tenants.push_back(tenant);
    }
}

}  // namespace

bool valid_tenant_id(const std::string& id) {
    static const std::regex pattern("[a-z0-9][a-z0-9_-]{0,63}");
    return std::regex_match(id, pattern);
}

const TenantProfile* Profile::tenant(const std::string& id) const {
    for (const auto& t : tenants)
        if (t.id == id) return &t;
    return nullptr;
}

const PluginSection* Profile::section(const std::string& role) const {
    for (const auto& s : plugins)
        if (s.role == role) return &s;
    return nullptr;
}

Profile load_profile(const std::string& path, std::vector<ProfileError>& errors) {
    Profile p;
    p.file = path;
    Checker c{path, errors};
    YAML::Node root;
    try {
        std::ifstream in(path);
        if (!in) {
            c.fail(YAML::Node(), "", "cannot read the profile");
            return p;
        }
        root = YAML::Load(in);
    } catch (const YAML::Exception& e) {
        ProfileError err;
        err.file = path;
        err.line = e.mark.line + 1;
        err.column = e.mark.column + 1;
        err.message = "not valid YAML: " + e.msg;
        errors.push_back(err);
        return p;
    }
    if (!root.IsMap()) {
        c.fail(root, "", "a profile is a YAML mapping");
        return p;
    }
    c.only_keys(root, "", top_keys);

    int version = 0;
    c.integer(root["version"], "version", version, 1, 1000);
    if (!root["version"].IsDefined())
        c.fail(root, "version", "required key is missing (use: version: 1)");
    else if (version != 1 && version != 0)
        c.fail(root["version"], "version",
               "profile format " + std::to_string(version) +
                   " is not supported; this host reads format 1");

    c.scalar(root["state_dir"], "state_dir", p.state_dir);

    if (const YAML::Node log = root["log"]; log.IsDefined()) {
        c.only_keys(log, "log", {"format", "level", "file"});
        if (c.scalar(log["format"], "log.format", p.log.format) && p.log.format != "text" &&
            p.log.format != "json")
            c.fail(log["format"], "log.format", "must be 'text' or 'json'");
        if (c.scalar(log["level"], "log.level", p.log.level) && p.log.level != "debug" &&
            p.log.level != "info" && p.log.level != "warn" && p.log.level != "error")
            c.fail(log["level"], "log.level", "must be one of debug, info, warn, error");
        c.scalar(log["file"], "log.file", p.log.file);
    }

    if (const YAML::Node plugins = root["plugins"]; plugins.IsDefined()) {
        c.only_keys(plugins, "plugins", {"path", "allow"});
        c.string_list(plugins["path"], "plugins.path", p.plugin_path);
        if (plugins["allow"].IsDefined()) {
            std::vector<std::string> allow;
            c.string_list(plugins["allow"], "plugins.allow", allow);
            p.plugin_allow = allow;
        }
    }

    if (root["archive"].IsDefined())
        c.plugin_section(root["archive"], "archive", "archive", p);
    else
        c.fail(root, "archive", "required key is missing (the archive plugin section)");
    if (root["target"].IsDefined())
        c.plugin_section(root["target"], "target", "target", p);
    else
        c.fail(root, "target", "required key is missing (the target plugin section)");
    // Further target sections by name, for restores into another database and migrations.
    if (const YAML::Node targets = root["targets"]; targets.IsDefined() && !targets.IsNull()) {
        if (!targets.IsMap()) {
            c.fail(targets, "targets", "expected a mapping of names to target plugin sections");
        } else {
            static const std::regex name_pattern("[a-z0-9][a-z0-9_-]{0,63}");
            for (const auto& item : targets) {
                const std::string name = item.first.as<std::string>();
                if (!std::regex_match(name, name_pattern)) {
                    c.fail(item.first, "targets." + name,
                           "target section name '" + name +
                               "' is not allowed: use [a-z0-9][a-z0-9_-]{0,63}");
                    continue;
                }
                c.plugin_section(item.second, "targets." + name, "target", p);
            }
        }
    }
    for (const char* list : {"transports", "evaluators", "services"}) {
        const YAML::Node node = root[list];
        if (!node.IsDefined() || node.IsNull()) continue;
        if (!node.IsSequence()) {
            c.fail(node, list, "expected a list of plugin sections");
            continue;
        }
        std::string kind = list;
        kind.pop_back();  // transports -> transport
        for (size_t i = 0; i < node.size(); ++i)
            c.plugin_section(node[i], std::string(list) + "[" + std::to_string(i) + "]", kind, p);
    }
    read_tenants(c, root["tenants"], p);
    if (p.plugin_allow) {
        for (const auto& s : p.plugins) {
            bool allowed = false;
            for (const auto& id : *p.plugin_allow) allowed = allowed || id == s.plugin;
            if (!allowed)
                c.fail(root["plugins"]["allow"], s.role + ".plugin",
                       "plugin '" + s.plugin + "' is not in plugins.allow");
        }
    }
    return p;
}

}  // namespace sightline::core
