// A deployment profile (YAML): which plugins, their config, the tenants, paths, logging.
// Loading checks everything that can be checked without plugins; plugin sections are checked
// against each plugin's schema once the plugins are probed (see plugin_loader.hpp).
#pragma once

#include <array>
#include <cstdint>
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

// A caller of the HTTP API: a bearer token, kept only as the SHA-256 of its value.
struct ApiToken {
    std::string name;                  // who, in logs and as a segment version's author
    std::string sha256;                // lower-case hex of SHA-256(token)
    std::vector<std::string> tenants;  // tenant ids this token reaches; {"*"} for every tenant
    int line = 0;
    bool all_tenants() const { return tenants.size() == 1 && tenants[0] == "*"; }
    bool reaches(const std::string& tenant) const;
};

// A host allowed to call the reports listener (mutual TLS): its client certificate's subject, as
// OpenSSL prints it in RFC 2253 form ("CN=bi.internal,O=Example"), and the tenants it may read.
struct TrustedHost {
    std::string subject;
    std::vector<std::string> tenants;  // {"*"} for every tenant
    int line = 0;
    bool reaches(const std::string& tenant) const;
};

// The member lists behind `changes` tokens (docs/api.md): per segment the last `keep`
// evaluations, none older than `days` (`api.member_lists`).
struct MemberListSettings {
    int keep = 10;
    int days = 7;
};

// The host's HTTP(S) listener (the Segmentation API; docs/api.md). Addresses and networks are
// checked here (numeric only); the certificate files are read when the listener starts.
struct ApiSettings {
    std::vector<std::string> listen = {"127.0.0.1:8470"};  // "addr:port", "[v6]:port"
    bool tls = true;
    std::string tls_cert;                                         // PEM chain
    std::string tls_key;                                          // PEM private key
    std::vector<std::string> allow = {"127.0.0.0/8", "::1/128"};  // CIDR networks of peers
    std::vector<ApiToken> tokens;
    int64_t max_body_bytes = 1 << 20;
    int read_timeout_ms = 10000;
    // Connections at once; when reached, one waiting for a request is closed to admit a new one
    // (host/http/src/connection_table.hpp).
    int max_connections = 256;
    int max_per_address = 64;            // connections at once from one address (IPv6: its /64)
    int threads = 4;                     // request handlers (evaluations) running at once
    int64_t min_free_bytes = 1LL << 30;  // /readyz fails below this much free disk space
    // Mutual TLS (the `reports:` listener only; empty on the `api:` one): the CA file that issues
    // trusted hosts' client certificates, and the subjects allowed in. A peer must present a
    // certificate from this CA whose subject is listed, from an address in `allow`.
    std::string client_ca;
    std::vector<TrustedHost> trusted_hosts;
    MemberListSettings member_lists;  // the `api:` listener only
    int line = 0;
};

// A person who operates Sightline: logs in to the console (password and/or client
// certificate) and is named in the audit log for every change.
struct OperatorAccount {
    std::string name;                 // [a-z0-9][a-z0-9._-]{0,63}
    std::string password;             // "$scrypt$..." hash (sightline operator passwd); "" = none
    std::string certificate_subject;  // RFC 2253 subject of a client certificate; "" = none
    bool disabled = false;
    int line = 0;
};

// The audit log: JSON lines, append-only, rotated by size, fsynced in batches.
struct AuditSettings {
    std::string file;                // "" = <state_dir>/audit/audit.jsonl
    int64_t max_bytes = 64LL << 20;  // rotate when the file would grow past this
    int keep = 30;                   // rotated files kept (audit.jsonl.1 ... .N)
    int fsync_interval_ms = 1000;    // at most this long between a line and its fsync
};

// The process-wide budget of target connections (`target_connections:`): stores of every tenant
// and target section together, kept idle for reuse and closed least recently used first.
struct TargetConnections {
    int max = 20;        // connections (tenant stores, admin work) open at once, idle ones included
    int wait_ms = 5000;  // how long a request waits for one when all are in use, then "busy"
    int idle_ms = 600'000;  // an idle store unused this long is closed (0: kept until needed)
};

// A CIDR network ("10.0.0.0/8", "fd00::/8", or one address). IPv4 is kept as IPv4-mapped IPv6
// (::ffff:a.b.c.d, prefix + 96), so a dual-stack listener's IPv4 peers match IPv4 networks.
struct Network {
    std::array<uint8_t, 16> bytes{};
    int prefix = 128;
    bool contains(const std::array<uint8_t, 16>& address) const;
};
// False when text is no numeric address or CIDR network (the host bits must be zero).
bool parse_network(const std::string& text, Network& out, std::string& reason);
// A numeric IPv4 or IPv6 address as 16 bytes (IPv4 mapped); false when not numeric.
bool parse_address(const std::string& text, std::array<uint8_t, 16>& out);

// "addr:port" or "[v6addr]:port" split; false when malformed (numeric addresses only).
bool split_listen_address(const std::string& text, std::string& address, uint16_t& port);
// True for 127.0.0.0/8, ::1 and ::ffff:127.x.y.z.
bool is_loopback_address(const std::string& address);

struct Profile {
    std::string file;
    std::string state_dir = "./var/state";
    bool edge = false;  // role: edge (intake + relay, no archive or target)
    LogSettings log;
    std::vector<std::string> plugin_path;
    std::optional<std::vector<std::string>> plugin_allow;
    std::vector<PluginSection> plugins;  // archive, target, then transports, evaluators, services
    std::vector<TenantProfile> tenants;
    std::optional<ApiSettings> api;  // the `api:` section, when present
    // The `reports:` section: the mutual-TLS listener for trusted hosts, when present.
    std::optional<ApiSettings> reports;
    std::vector<OperatorAccount> operators;  // the `operators:` section
    AuditSettings audit;                     // the `audit:` section (defaults when absent)
    TargetConnections target_connections;    // the `target_connections:` section

    const TenantProfile* tenant(const std::string& id) const;
    const PluginSection* section(const std::string& role) const;
    const OperatorAccount* operator_account(const std::string& name) const;
    // The audit log's path: audit.file, or <state_dir>/audit/audit.jsonl.
    std::string audit_file() const;
};

// True for ids of the form [a-z0-9][a-z0-9_-]{0,63}: safe as a folder or database name.
bool valid_tenant_id(const std::string& id);

// Parses and checks a profile. Errors are appended (each names file, line, key); the profile is
// usable only when none were added.
Profile load_profile(const std::string& path, std::vector<ProfileError>& errors);

}  // namespace sightline::core
