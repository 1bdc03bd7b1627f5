#include "sightline/core/profile.hpp"

#include <algorithm>

#include "profile_bounds.hpp"
#include "profile_checker.hpp"

#include <arpa/inet.h>

#include <cctype>
#include <cstring>
#include <fstream>
#include <regex>
#include <set>

namespace sightline::core {

namespace {

using detail::Checker;
using detail::read_audit;
using detail::read_operators;
using detail::read_target_connections;
using detail::read_trusted_hosts;

const std::vector<std::string> top_keys = {
    "version", "role",    "state_dir",  "log",        "plugins",           "archive",
    "target",  "targets", "transports", "evaluators", "services",          "tenants",
    "api",     "reports", "operators",  "audit",      "target_connections"};

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

std::string join(const std::vector<std::string>& keys) {
    std::string out;
    for (const auto& k : keys) out += (out.empty() ? "" : ", ") + k;
    return out;
}

// api: the internal HTTP listener (tokens); reports: the mutual-TLS listener for trusted hosts
// (client_ca, trusted_hosts; TLS cannot be off). Read after the tenants, which both name.
std::optional<ApiSettings> read_listener(Checker& c, const YAML::Node& node, const Profile& p,
                                         const std::string& name) {
    if (!node.IsDefined() || node.IsNull()) return std::nullopt;
    const bool reports = name == "reports";
    const std::vector<std::string> keys =
        reports ? std::vector<std::string>{"listen",        "tls",    "client_ca", "allow",
                                           "trusted_hosts", "limits", "threads"}
                : std::vector<std::string>{"listen", "tls",     "allow",       "tokens",
                                           "limits", "threads", "member_lists"};
    if (!node.IsMap()) {
        c.fail(node, name, "expected a mapping (" + join(keys) + ")");
        return std::nullopt;
    }
    c.only_keys(node, name, keys);
    ApiSettings api;
    if (reports) api.listen = {"127.0.0.1:8471"};
    api.line = node.Mark().line + 1;
    if (node["listen"].IsDefined()) {
        std::vector<std::string> listen;
        c.string_list(node["listen"], name + ".listen", listen);
        if (node["listen"].IsSequence() && listen.empty())
            c.fail(node["listen"], name + ".listen", "needs at least one address:port");
        for (size_t i = 0; i < listen.size(); ++i) {
            std::string address;
            uint16_t port = 0;
            if (!split_listen_address(listen[i], address, port))
                c.fail(node["listen"][i], name + ".listen[" + std::to_string(i) + "]",
                       "'" + listen[i] +
                           "' is not a numeric address:port (e.g. 127.0.0.1:8470, "
                           "[::1]:8470, 0.0.0.0:8470)");
        }
        if (!listen.empty()) api.listen = listen;
    }
    // tls: {cert, key} (the default is on, so cert and key are required) or off (loopback only).
    const YAML::Node tls = node["tls"];
    bool tls_given = false;
    if (tls.IsDefined() && !tls.IsNull()) {
        if (tls.IsScalar()) {
            const std::string v = tls.Scalar();
            if ((v == "off" || v == "false" || v == "no") && reports)
                c.fail(tls, name + ".tls",
                       "the reports listener always uses TLS with client certificates: give "
                       "{cert: FILE, key: FILE}");
            else if (v == "off" || v == "false" || v == "no")
                api.tls = false;
            else
                c.fail(tls, name + ".tls",
                       "expected {cert: FILE, key: FILE} or off, found '" + v + "'");
            tls_given = true;
        } else if (tls.IsMap()) {
            c.only_keys(tls, name + ".tls", {"cert", "key"});
            tls_given = true;
            if (!c.scalar(tls["cert"], name + ".tls.cert", api.tls_cert) || api.tls_cert.empty())
                c.fail(tls, name + ".tls.cert", "required key is missing (PEM certificate chain)");
            if (!c.scalar(tls["key"], name + ".tls.key", api.tls_key) || api.tls_key.empty())
                c.fail(tls, name + ".tls.key", "required key is missing (PEM private key)");
        } else {
            c.fail(tls, name + ".tls", "expected {cert: FILE, key: FILE} or off");
        }
    }
    if (!tls_given)
        c.fail(node, name + ".tls",
               "required key is missing: TLS is on by default, give {cert: FILE, key: FILE} "
               "(or off, for loopback addresses only)");
    if (!api.tls) {
        for (size_t i = 0; i < api.listen.size(); ++i) {
            std::string address;
            uint16_t port = 0;
            if (split_listen_address(api.listen[i], address, port) && !is_loopback_address(address))
                c.fail(tls, name + ".tls",
                       "tls: off is allowed only when every listen address is loopback; '" +
                           api.listen[i] + "' is not");
        }
    }
    if (node["allow"].IsDefined()) {
        std::vector<std::string> allow;
        c.string_list(node["allow"], name + ".allow", allow);
        for (size_t i = 0; i < allow.size(); ++i) {
            Network n;
            std::string reason;
            if (!parse_network(allow[i], n, reason))
                c.fail(node["allow"][i], name + ".allow[" + std::to_string(i) + "]", reason);
        }
        api.allow = allow;
    }
    if (const YAML::Node limits = node["limits"]; limits.IsDefined() && !limits.IsNull()) {
        c.only_keys(limits, name + ".limits",
                    {"max_body_bytes", "read_timeout_ms", "max_connections", "max_per_address",
                     "min_free_mb"});
        int body = static_cast<int>(api.max_body_bytes);
        c.integer(limits["max_body_bytes"], name + ".limits.max_body_bytes", body, 1024, 1 << 30);
        api.max_body_bytes = body;
        c.integer(limits["read_timeout_ms"], name + ".limits.read_timeout_ms", api.read_timeout_ms,
                  10, 3'600'000);
        c.integer(limits["max_connections"], name + ".limits.max_connections", api.max_connections,
                  1, 100'000);
        c.integer(limits["max_per_address"], name + ".limits.max_per_address", api.max_per_address,
                  1, 100'000);
        int min_free_mb = static_cast<int>(api.min_free_bytes >> 20);
        c.integer(limits["min_free_mb"], name + ".limits.min_free_mb", min_free_mb, 0, 1 << 30);
        api.min_free_bytes = static_cast<int64_t>(min_free_mb) << 20;
    }
    c.integer(node["threads"], name + ".threads", api.threads, 1, 256);
    if (const YAML::Node lists = node["member_lists"]; !reports && lists.IsDefined()) {
        if (!lists.IsMap()) {
            c.fail(lists, name + ".member_lists", "expected {keep: N, days: D}");
        } else {
            c.only_keys(lists, name + ".member_lists", {"keep", "days"});
            c.integer(lists["keep"], name + ".member_lists.keep", api.member_lists.keep, 1, 1000);
            c.integer(lists["days"], name + ".member_lists.days", api.member_lists.days, 1, 3650);
        }
    }

    const YAML::Node tokens = node["tokens"];
    if (tokens.IsDefined() && !tokens.IsNull() && !tokens.IsSequence())
        c.fail(tokens, name + ".tokens", "expected a list of {name, sha256, tenants}");
    static const std::regex name_pattern("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    static const std::regex hash_pattern("[0-9a-fA-F]{64}");
    std::set<std::string> names, hashes;
    const bool token_list = tokens.IsDefined() && tokens.IsSequence();
    for (size_t i = 0; token_list && i < tokens.size(); ++i) {
        const YAML::Node t = tokens[i];
        const std::string key = name + ".tokens[" + std::to_string(i) + "]";
        if (!t.IsMap()) {
            c.fail(t, key, "expected a mapping {name, sha256, tenants}");
            continue;
        }
        c.only_keys(t, key, {"name", "sha256", "tenants"});
        ApiToken token;
        token.line = t.Mark().line + 1;
        if (!c.scalar(t["name"], key + ".name", token.name))
            c.fail(t, key + ".name", "required key is missing");
        else if (!std::regex_match(token.name, name_pattern))
            c.fail(t["name"], key + ".name",
                   "token name '" + token.name +
                       "' is not allowed: use [A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
        else if (!names.insert(token.name).second)
            c.fail(t["name"], key + ".name", "token name '" + token.name + "' is used twice");
        if (!c.scalar(t["sha256"], key + ".sha256", token.sha256)) {
            c.fail(t, key + ".sha256",
                   "required key is missing (hex SHA-256 of the token; sightline api token "
                   "makes one)");
        } else if (!std::regex_match(token.sha256, hash_pattern)) {
            c.fail(t["sha256"], key + ".sha256", "expected 64 hexadecimal digits");
        } else {
            for (char& ch : token.sha256) ch = static_cast<char>(std::tolower(ch));
            if (!hashes.insert(token.sha256).second)
                c.fail(t["sha256"], key + ".sha256", "the same token hash is listed twice");
        }
        if (!t["tenants"].IsDefined()) {
            c.fail(t, key + ".tenants", "required key is missing (tenant ids, or [\"*\"] for all)");
        } else {
            c.string_list(t["tenants"], key + ".tenants", token.tenants);
            if (t["tenants"].IsSequence() && token.tenants.empty())
                c.fail(t["tenants"], key + ".tenants", "needs at least one tenant id (or \"*\")");
            for (size_t j = 0; j < token.tenants.size(); ++j) {
                const std::string& id = token.tenants[j];
                if (id == "*") {
                    if (token.tenants.size() != 1)
                        c.fail(t["tenants"][j], key + ".tenants",
                               "\"*\" (every tenant) cannot be combined with tenant ids");
                } else if (!p.tenant(id)) {
                    c.fail(t["tenants"][j], key + ".tenants[" + std::to_string(j) + "]",
                           "tenant '" + id + "' is not defined under tenants:");
                }
            }
        }
        api.tokens.push_back(token);
    }
    if (reports) read_trusted_hosts(c, node, p, api);
    return api;
}

}  // namespace

bool ApiToken::reaches(const std::string& tenant) const {
    for (const auto& t : tenants)
        if (t == "*" || t == tenant) return true;
    return false;
}

bool parse_address(const std::string& text, std::array<uint8_t, 16>& out) {
    out.fill(0);
    in_addr v4{};
    if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
        out[10] = 0xff;
        out[11] = 0xff;
        std::memcpy(out.data() + 12, &v4, 4);
        return true;
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
        std::memcpy(out.data(), &v6, 16);
        return true;
    }
    return false;
}

bool parse_network(const std::string& text, Network& out, std::string& reason) {
    const auto slash = text.find('/');
    const std::string address = text.substr(0, slash);
    if (!parse_address(address, out.bytes)) {
        reason = "'" + text + "' is not a numeric IPv4 or IPv6 address or CIDR network";
        return false;
    }
    const bool v4 = address.find(':') == std::string::npos;
    const int max = v4 ? 32 : 128;
    int prefix = max;
    if (slash != std::string::npos) {
        const std::string bits = text.substr(slash + 1);
        if (bits.empty() || bits.size() > 3 ||
            bits.find_first_not_of("0123456789") != std::string::npos || std::stoi(bits) > max) {
            reason = "'" + text + "': the prefix length must be 0 to " + std::to_string(max);
            return false;
        }
        prefix = std::stoi(bits);
    }
    out.prefix = v4 ? prefix + 96 : prefix;
    for (int bit = out.prefix; bit < 128; ++bit)
        if (out.bytes[bit / 8] & (0x80 >> (bit % 8))) {
            reason = "'" + text +
                     "' has bits set after the prefix (did you mean the network "
                     "address?)";
            return false;
        }
    return true;
}

bool Network::contains(const std::array<uint8_t, 16>& address) const {
    for (int bit = 0; bit < prefix; ++bit) {
        const uint8_t mask = static_cast<uint8_t>(0x80 >> (bit % 8));
        if ((bytes[bit / 8] & mask) != (address[bit / 8] & mask)) return false;
    }
    return true;
}

bool split_listen_address(const std::string& text, std::string& address, uint16_t& port) {
    std::string port_text;
    if (!text.empty() && text[0] == '[') {
        const auto close = text.find(']');
        if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
            return false;
        address = text.substr(1, close - 1);
        port_text = text.substr(close + 2);
        in6_addr v6{};
        if (inet_pton(AF_INET6, address.c_str(), &v6) != 1) return false;
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string::npos) return false;
        address = text.substr(0, colon);
        port_text = text.substr(colon + 1);
        in_addr v4{};
        if (inet_pton(AF_INET, address.c_str(), &v4) != 1) return false;
    }
    if (port_text.empty() || port_text.size() > 5 ||
        port_text.find_first_not_of("0123456789") != std::string::npos)
        return false;
    const int value = std::stoi(port_text);
    if (value > 65535) return false;  // 0: any free port (tests; the log says which)
    port = static_cast<uint16_t>(value);
    return true;
}

bool is_loopback_address(const std::string& address) {
    std::array<uint8_t, 16> bytes{};
    if (!parse_address(address, bytes)) return false;
    Network v4, v6;
    std::string reason;
    parse_network("127.0.0.0/8", v4, reason);
    parse_network("::1/128", v6, reason);
    return v4.contains(bytes) || v6.contains(bytes);
}

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
        if (const std::string problem = detail::profile_size_problem(path); !problem.empty()) {
            c.fail(YAML::Node(), "", problem);
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
    if (const std::string problem = detail::profile_tree_problem(root); !problem.empty()) {
        c.fail(root, "", problem);
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

    // A section given as a scalar or a list is an error, not a subscript that throws (found by
    // fuzzing: `log: x` ended `profile check`, and a reload with it stopped serve).
    if (const YAML::Node log = root["log"]; log.IsDefined() && !log.IsMap()) {
        c.fail(log, "log", "expected a mapping (format, level, file)");
    } else if (log.IsDefined()) {
        c.only_keys(log, "log", {"format", "level", "file"});
        if (c.scalar(log["format"], "log.format", p.log.format) && p.log.format != "text" &&
            p.log.format != "json")
            c.fail(log["format"], "log.format", "must be 'text' or 'json'");
        if (c.scalar(log["level"], "log.level", p.log.level) && p.log.level != "debug" &&
            p.log.level != "info" && p.log.level != "warn" && p.log.level != "error")
            c.fail(log["level"], "log.level", "must be one of debug, info, warn, error");
        c.scalar(log["file"], "log.file", p.log.file);
    }

    if (const YAML::Node plugins = root["plugins"]; plugins.IsDefined() && !plugins.IsMap()) {
        c.fail(plugins, "plugins", "expected a mapping (path, allow)");
    } else if (plugins.IsDefined()) {
        c.only_keys(plugins, "plugins", {"path", "allow"});
        c.string_list(plugins["path"], "plugins.path", p.plugin_path);
        if (plugins["allow"].IsDefined()) {
            std::vector<std::string> allow;
            c.string_list(plugins["allow"], "plugins.allow", allow);
            p.plugin_allow = allow;
        }
    }

    // role: edge is the outward-facing intake host. It keeps no customer data beyond the
    // landing zone, so it has no archive, target, evaluators or API: uploads go to a relay.
    if (const YAML::Node role = root["role"]; role.IsDefined()) {
        std::string text;
        if (c.scalar(role, "role", text)) {
            if (text == "edge")
                p.edge = true;
            else if (text != "core")
                c.fail(role, "role",
                       "expected core (the default: archive, load, serve) or edge "
                       "(intake and relay only, no data kept)");
        }
    }
    if (p.edge) {
        for (const char* key : {"archive", "target", "targets", "evaluators", "api", "reports"})
            if (root[key].IsDefined())
                c.fail(root[key], key,
                       "an edge profile keeps no data: remove this section (it belongs in the "
                       "core profile)");
        if (!root["transports"].IsDefined())
            c.fail(root, "transports",
                   "an edge profile needs transports: an intake and a relay (relay-ftps)");
    } else {
        if (root["archive"].IsDefined())
            c.plugin_section(root["archive"], "archive", "archive", p);
        else
            c.fail(root, "archive", "required key is missing (the archive plugin section)");
        if (root["target"].IsDefined())
            c.plugin_section(root["target"], "target", "target", p);
        else
            c.fail(root, "target", "required key is missing (the target plugin section)");
    }
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
    // A core profile that names no evaluators still answers segments and reports: the resident
    // engine first, the target's own SQL for tenants it declines (docs/profiles.md).
    // Only where there is a target to evaluate against, and only the defaults that a
    // `plugins.allow` list lets in (an allow list that names neither means: no evaluators).
    if (!p.edge && !root["evaluators"].IsDefined() && root["target"].IsDefined()) {
        size_t next = 0;
        for (const char* id : {"evaluator-columnar", "evaluator-sql"}) {
            if (p.plugin_allow && std::find(p.plugin_allow->begin(), p.plugin_allow->end(), id) ==
                                      p.plugin_allow->end())
                continue;
            PluginSection s;
            s.role = "evaluators[" + std::to_string(next++) + "]";
            s.kind = "evaluator";
            s.plugin = id;
            p.plugins.push_back(s);
        }
    }
    read_tenants(c, root["tenants"], p);
    p.api = read_listener(c, root["api"], p, "api");
    p.reports = read_listener(c, root["reports"], p, "reports");
    read_operators(c, root["operators"], p);
    read_audit(c, root["audit"], p);
    read_target_connections(c, root["target_connections"], p);
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
