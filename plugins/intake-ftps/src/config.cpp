#include "config.hpp"

#include <filesystem>
#include <set>
#include <vector>

#include <nlohmann/json.hpp>

#include "sightline/ftps/password.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::intake_ftps {

const char config_schema_json[] = R"json({
  "listen": {"type": "string", "default": "127.0.0.1:2121",
    "description": "Control address:port ([v6]:port for IPv6)"},
  "passive_ports": {"type": "string", "default": "50000-50100",
    "description": "Port range for passive data connections, first-last"},
  "advertised_address": {"type": "string", "default": "",
    "description": "IPv4 address sent in PASV replies (default: the listen address)"},
  "certificate": {"type": "string", "required": true, "description": "Server certificate chain (PEM)"},
  "private_key": {"type": "string", "required": true, "description": "Server private key (PEM)"},
  "self_signed": {"type": "boolean", "default": false,
    "description": "Create a self-signed certificate and key when the files are missing (local and test profiles)"},
  "client_ca": {"type": "string", "default": "",
    "description": "When set, clients must present a certificate signed by this CA (PEM)"},
  "landing": {"type": "string", "required": true,
    "description": "Landing folder; tenant T's uploads land in <landing>/T/"},
  "accounts": {"type": "array", "required": true, "description": "FTPS accounts (sightline tenant passwd makes the entry)",
    "items": {"type": "object", "properties": {
      "user": {"type": "string", "required": true, "description": "Login name"},
      "tenant": {"type": "string", "required": true,
        "description": "The tenant it uploads for; * is the relay account of a core intake (writes /<tenant>/...)"},
      "password": {"type": "string", "required": true, "secret": true,
        "description": "The scrypt hash from sightline tenant passwd (never the password)"},
      "await_result": {"type": "boolean", "default": false,
        "description": "Send the final 226 only after the file was processed, with its outcome (the relay account)"}}}},
  "retention_hours": {"type": "integer", "default": 24, "minimum": 1, "maximum": 24,
    "description": "Any landing file older than this is deleted"},
  "sweep_interval_seconds": {"type": "integer", "default": 600, "minimum": 1, "maximum": 86400,
    "description": "How often the retention sweep runs"},
  "retry_interval_seconds": {"type": "integer", "default": 5, "minimum": 1, "maximum": 300,
    "description": "First delay before an upload the pipeline could not take is offered again (doubling up to 300 s)"},
  "quota": {"type": "object", "default": {}, "description": "Per tenant landing quota",
    "properties": {
      "max_bytes": {"type": "integer", "default": 10737418240, "minimum": 1, "description": "Bytes pending in the landing folder"},
      "max_files": {"type": "integer", "default": 1000, "minimum": 1, "maximum": 10000000, "description": "Files pending in the landing folder"}}},
  "max_file_bytes": {"type": "integer", "default": 5368709120, "minimum": 1,
    "description": "Largest accepted upload"},
  "limits": {"type": "object", "default": {}, "description": "Abuse limits, each logged when it acts",
    "properties": {
      "login_delay_ms": {"type": "integer", "default": 1000, "minimum": 0, "maximum": 60000, "description": "Delay before answering a failed login"},
      "ban_failures": {"type": "integer", "default": 5, "minimum": 1, "maximum": 1000, "description": "Failed logins from one address (IPv6: its /64) that ban it"},
      "ban_window_seconds": {"type": "integer", "default": 600, "minimum": 1, "maximum": 86400, "description": "... within this window"},
      "ban_seconds": {"type": "integer", "default": 1800, "minimum": 1, "maximum": 2592000, "description": "How long a ban lasts"},
      "max_connections": {"type": "integer", "default": 200, "minimum": 1, "maximum": 100000, "description": "Control connections at once, in total"},
      "max_per_address": {"type": "integer", "default": 8, "minimum": 1, "maximum": 100000, "description": "Control connections at once from one address (an IPv6 address counts as its /64)"},
      "max_sessions_per_account": {"type": "integer", "default": 4, "minimum": 1, "maximum": 10000, "description": "Logged-in sessions at once per account; a login beyond it is refused with 421"},
      "login_timeout_seconds": {"type": "integer", "default": 30, "minimum": 1, "maximum": 3600, "description": "Time to log in after connecting"},
      "idle_timeout_seconds": {"type": "integer", "default": 300, "minimum": 1, "maximum": 86400, "description": "Idle control connection closed after this"},
      "min_transfer_rate_bytes": {"type": "integer", "default": 1024, "minimum": 0, "maximum": 1073741824, "description": "Slowest accepted transfer, bytes per second (0: no limit)"},
      "transfer_rate_window_seconds": {"type": "integer", "default": 60, "minimum": 1, "maximum": 3600, "description": "... averaged over this window"},
      "data_connect_timeout_seconds": {"type": "integer", "default": 30, "minimum": 1, "maximum": 3600, "description": "Time for the client to open a data connection"}}}
})json";

namespace {

using nlohmann::json;
using plugin::Error;

[[noreturn]] void fail(const std::string& message) {
    throw Error("intake-ftps config: " + message);
}

int64_t integer_in(const json& config, const std::string& key, int64_t fallback, int64_t min,
                   int64_t max) {
    auto it = config.find(key);
    if (it == config.end()) return fallback;
    // The host may hand object members over as strings ("object" is free-form strings).
    int64_t value = 0;
    if (it->is_string()) {
        try {
            size_t used = 0;
            value = std::stoll(it->get<std::string>(), &used);
            if (used != it->get<std::string>().size()) throw std::invalid_argument("junk");
        } catch (const std::exception&) {
            fail("'" + key + "' must be an integer");
        }
    } else {
        if (!it->is_number_integer()) fail("'" + key + "' must be an integer");
        if (it->is_number_unsigned() && it->get<uint64_t>() > static_cast<uint64_t>(max)) {
            fail("'" + key + "' must be at most " + std::to_string(max));
        }
        value = it->get<int64_t>();
    }
    if (value < min) fail("'" + key + "' must be at least " + std::to_string(min));
    if (value > max) fail("'" + key + "' must be at most " + std::to_string(max));
    return value;
}

std::string string_of(const json& config, const std::string& key, const std::string& fallback) {
    auto it = config.find(key);
    if (it == config.end()) return fallback;
    if (!it->is_string()) fail("'" + key + "' must be a string");
    return it->get<std::string>();
}

bool bool_of(const json& config, const std::string& key, bool fallback) {
    auto it = config.find(key);
    if (it == config.end()) return fallback;
    if (it->is_boolean()) return it->get<bool>();
    if (it->is_string()) {
        const auto text = it->get<std::string>();
        if (text == "true" || text == "yes" || text == "on") return true;
        if (text == "false" || text == "no" || text == "off") return false;
    }
    fail("'" + key + "' must be true or false");
}

void check_keys(const json& object, const std::set<std::string>& known, const std::string& where) {
    for (const auto& item : object.items()) {
        if (known.count(item.key()) == 0) {
            std::string allowed;
            for (const auto& k : known) allowed += (allowed.empty() ? "" : ", ") + k;
            fail("unknown key '" + item.key() + "'" + where + " (allowed: " + allowed + ")");
        }
    }
}

std::string absolute_path(const std::string& key, const std::string& value) {
    std::error_code ec;
    auto absolute = std::filesystem::absolute(value, ec);
    if (ec) fail("'" + key + "' cannot be made absolute: " + ec.message());
    std::string path = absolute.lexically_normal().string();
    if (path.size() > 1 && path.back() == '/') path.pop_back();
    return path;
}

uint16_t port_number(const std::string& text, const std::string& key, long min = 1) {
    if (text.empty() || text.size() > 5 ||
        text.find_first_not_of("0123456789") != std::string::npos) {
        fail("'" + key + "': bad port '" + text + "'");
    }
    const long port = std::stol(text);
    if (port < min || port > 65535) fail("'" + key + "': port out of range: " + text);
    return static_cast<uint16_t>(port);
}

Account parse_account(const json& given, size_t index) {
    const std::string where = "accounts[" + std::to_string(index) + "]";
    const json& item = given;
    if (!item.is_object()) fail(where + " must be an object");
    check_keys(item, {"user", "tenant", "password", "await_result"}, " in " + where);
    Account account;
    account.user = string_of(item, "user", "");
    if (account.user.empty() || account.user.size() > 64) {
        fail(where + ": 'user' must be 1-64 characters");
    }
    for (unsigned char c : account.user) {
        if (c <= 0x20 || c >= 0x7f) fail(where + ": 'user' must be printable ASCII without spaces");
    }
    account.tenant = string_of(item, "tenant", "");
    if (account.tenant.empty()) fail("account '" + account.user + "': 'tenant' is required");
    account.password_hash = string_of(item, "password", "");
    const std::string problem = ftps::check_password_hash(account.password_hash);
    // The hash itself is never echoed: a profile error must not print credentials material.
    if (!problem.empty()) fail("account '" + account.user + "': bad password hash: " + problem);
    account.await_result = bool_of(item, "await_result", false);
    return account;
}

}  // namespace

void parse_host_port(const std::string& text, std::string& host, uint16_t& port) {
    std::string port_text;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            fail("'listen' must be address:port or [v6]:port, not '" + text + "'");
        }
        host = text.substr(1, close - 1);
        port_text = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string::npos || text.find(':') != colon) {
            fail("'listen' must be address:port or [v6]:port, not '" + text + "'");
        }
        host = text.substr(0, colon);
        port_text = text.substr(colon + 1);
    }
    if (host.empty()) fail("'listen': empty address");
    // Port 0 lets the kernel choose (tests); the port is logged in intake_ftps.started.
    port = port_number(port_text, "listen", 0);
}

Config parse_config(const std::string& json_text) {
    json config;
    try {
        config = json::parse(json_text);
    } catch (const json::exception& e) {
        fail(std::string("not valid JSON: ") + e.what());
    }
    if (!config.is_object()) fail("expected a JSON object");
    check_keys(
        config,
        {"listen", "passive_ports", "advertised_address", "certificate", "private_key",
         "self_signed", "client_ca", "landing", "accounts", "retention_hours",
         "sweep_interval_seconds", "retry_interval_seconds", "quota", "max_file_bytes", "limits"},
        "");

    Config parsed;
    parse_host_port(string_of(config, "listen", "127.0.0.1:2121"), parsed.listen_host,
                    parsed.listen_port);

    const std::string range = string_of(config, "passive_ports", "50000-50100");
    const auto dash = range.find('-');
    if (dash == std::string::npos) fail("'passive_ports' must be first-last, e.g. 50000-50100");
    parsed.passive_first = port_number(range.substr(0, dash), "passive_ports");
    parsed.passive_last = port_number(range.substr(dash + 1), "passive_ports");
    if (parsed.passive_first > parsed.passive_last) fail("'passive_ports': first > last");

    parsed.advertised_address = string_of(config, "advertised_address", "");
    if (parsed.advertised_address.empty()) parsed.advertised_address = parsed.listen_host;

    const std::string cert = string_of(config, "certificate", "");
    const std::string key = string_of(config, "private_key", "");
    if (cert.empty()) fail("'certificate' is required");
    if (key.empty()) fail("'private_key' is required");
    parsed.certificate = absolute_path("certificate", cert);
    parsed.private_key = absolute_path("private_key", key);
    parsed.self_signed = bool_of(config, "self_signed", false);
    const std::string ca = string_of(config, "client_ca", "");
    if (!ca.empty()) parsed.client_ca = absolute_path("client_ca", ca);

    const std::string landing = string_of(config, "landing", "");
    if (landing.empty()) fail("'landing' is required");
    parsed.landing = absolute_path("landing", landing);

    auto accounts = config.find("accounts");
    if (accounts == config.end() || !accounts->is_array() || accounts->empty()) {
        fail("'accounts' must be a non-empty list");
    }
    std::set<std::string> users;
    for (size_t i = 0; i < accounts->size(); ++i) {
        Account account = parse_account((*accounts)[i], i);
        if (!users.insert(account.user).second) {
            fail("account '" + account.user + "' is defined twice");
        }
        parsed.accounts.push_back(std::move(account));
    }

    parsed.retention_hours = integer_in(config, "retention_hours", 24, 1, 24);
    parsed.sweep_interval_seconds = integer_in(config, "sweep_interval_seconds", 600, 1, 86400);
    parsed.retry_interval_seconds = integer_in(config, "retry_interval_seconds", 5, 1, 300);
    parsed.max_file_bytes =
        integer_in(config, "max_file_bytes", parsed.max_file_bytes, 1, int64_t{1} << 50);

    json quota = json::object();
    if (auto it = config.find("quota"); it != config.end()) {
        if (!it->is_object()) fail("'quota' must be an object");
        quota = *it;
    }
    check_keys(quota, {"max_bytes", "max_files"}, " in 'quota'");
    parsed.quota_max_bytes =
        integer_in(quota, "max_bytes", parsed.quota_max_bytes, 1, int64_t{1} << 50);
    parsed.quota_max_files = integer_in(quota, "max_files", parsed.quota_max_files, 1, 10000000);

    json limits = json::object();
    if (auto it = config.find("limits"); it != config.end()) {
        if (!it->is_object()) fail("'limits' must be an object");
        limits = *it;
    }
    Limits& l = parsed.limits;
    check_keys(limits,
               {"login_delay_ms", "ban_failures", "ban_window_seconds", "ban_seconds",
                "max_connections", "max_per_address", "max_sessions_per_account",
                "login_timeout_seconds", "idle_timeout_seconds", "min_transfer_rate_bytes",
                "transfer_rate_window_seconds", "data_connect_timeout_seconds"},
               " in 'limits'");
    l.login_delay_ms = integer_in(limits, "login_delay_ms", l.login_delay_ms, 0, 60000);
    l.ban_failures = integer_in(limits, "ban_failures", l.ban_failures, 1, 1000);
    l.ban_window_seconds = integer_in(limits, "ban_window_seconds", l.ban_window_seconds, 1, 86400);
    l.ban_seconds = integer_in(limits, "ban_seconds", l.ban_seconds, 1, 30 * 86400);
    l.max_connections = integer_in(limits, "max_connections", l.max_connections, 1, 100000);
    l.max_per_address = integer_in(limits, "max_per_address", l.max_per_address, 1, 100000);
    l.max_sessions_per_account =
        integer_in(limits, "max_sessions_per_account", l.max_sessions_per_account, 1, 10000);
    l.login_timeout_seconds =
        integer_in(limits, "login_timeout_seconds", l.login_timeout_seconds, 1, 3600);
    l.idle_timeout_seconds =
        integer_in(limits, "idle_timeout_seconds", l.idle_timeout_seconds, 1, 86400);
    l.min_transfer_rate_bytes =
        integer_in(limits, "min_transfer_rate_bytes", l.min_transfer_rate_bytes, 0, 1 << 30);
    l.transfer_rate_window_seconds =
        integer_in(limits, "transfer_rate_window_seconds", l.transfer_rate_window_seconds, 1, 3600);
    l.data_connect_timeout_seconds =
        integer_in(limits, "data_connect_timeout_seconds", l.data_connect_timeout_seconds, 1, 3600);
    return parsed;
}

}  // namespace sightline::intake_ftps
