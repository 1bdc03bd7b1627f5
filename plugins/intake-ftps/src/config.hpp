// The intake-ftps configuration: the schema the host validates against, and its parsed form.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sightline::intake_ftps {

// An array, not a pointer, so the descriptor pointing at it is constant-initialised.
extern const char config_schema_json[];

struct Account {
    std::string user;
    std::string tenant;  // "*" is the relay account: it writes under /<tenant>/ for any tenant
    std::string password_hash;
    bool await_result = false;
    bool relay() const { return tenant == "*"; }
};

struct Limits {
    int64_t login_delay_ms = 1000;
    int64_t ban_failures = 5;
    int64_t ban_window_seconds = 600;
    int64_t ban_seconds = 1800;
    int64_t max_connections = 200;
    int64_t max_per_address = 8;  // an IPv6 address counts as its /64 (limits.hpp)
    int64_t max_sessions_per_account = 4;
    int64_t login_timeout_seconds = 30;
    int64_t idle_timeout_seconds = 300;
    int64_t min_transfer_rate_bytes = 1024;
    int64_t transfer_rate_window_seconds = 60;
    int64_t data_connect_timeout_seconds = 30;
};

struct Config {
    std::string listen_host = "127.0.0.1";  // without brackets
    uint16_t listen_port = 2121;
    uint16_t passive_first = 50000;
    uint16_t passive_last = 50100;
    std::string advertised_address;  // PASV; defaults to listen_host
    std::string certificate;
    std::string private_key;
    bool self_signed = false;
    std::string client_ca;
    std::string landing;  // absolute
    std::vector<Account> accounts;
    int64_t retention_hours = 24;
    int64_t sweep_interval_seconds = 600;
    int64_t retry_interval_seconds = 5;
    int64_t quota_max_bytes = int64_t{10} << 30;
    int64_t quota_max_files = 1000;
    int64_t max_file_bytes = int64_t{5} << 30;
    Limits limits;
};

// Parses the profile section (CreateContext::config_json), applying the defaults itself so a
// hand-written config in a test works too. Throws plugin::Error naming the key at fault; a bad
// password hash is reported by account name, never by value. Tenants are checked at start().
Config parse_config(const std::string& json_text);

// "host:port" or "[v6]:port". Throws plugin::Error.
void parse_host_port(const std::string& text, std::string& host, uint16_t& port);

}  // namespace sightline::intake_ftps
