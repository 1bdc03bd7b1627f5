#include "connect_settings.hpp"

#include <nlohmann/json.hpp>

#include "password_source.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::ftps_client {

using nlohmann::json;
using plugin::Error;

json config_object(const std::string& json_text, const char* schema_json, const std::string& who) {
    json config;
    try {
        config = json::parse(json_text.empty() ? "{}" : json_text);
    } catch (const json::exception& e) {
        throw Error(who + " config: not valid JSON: " + e.what());
    }
    if (!config.is_object()) throw Error(who + " config: expected a JSON object");
    const json schema = json::parse(schema_json);
    for (const auto& item : config.items()) {
        if (!schema.contains(item.key()))
            throw Error(who + " config: unknown key '" + item.key() + "'");
    }
    return config;
}

std::string string_key(const json& config, const char* key, const std::string& fallback,
                       const std::string& who) {
    auto it = config.find(key);
    if (it == config.end() || it->is_null()) return fallback;
    if (!it->is_string()) throw Error(who + " config: '" + key + "' must be a string");
    return it->get<std::string>();
}

int64_t integer_key(const json& config, const char* key, int64_t fallback, int64_t min, int64_t max,
                    const std::string& who) {
    auto it = config.find(key);
    if (it == config.end() || it->is_null()) return fallback;
    const std::string range = " from " + std::to_string(min) + " to " + std::to_string(max);
    if (!it->is_number_integer()) {
        throw Error(who + " config: '" + key + "' must be an integer" + range);
    }
    if (it->is_number_unsigned() && it->get<uint64_t>() > static_cast<uint64_t>(max)) {
        throw Error(who + " config: '" + key + "' must be an integer" + range);
    }
    const auto value = it->get<int64_t>();
    if (value < min || value > max) {
        throw Error(who + " config: '" + key + "' must be an integer" + range);
    }
    return value;
}

bool boolean_key(const json& config, const char* key, bool fallback, const std::string& who) {
    auto it = config.find(key);
    if (it == config.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) throw Error(who + " config: '" + key + "' must be true or false");
    return it->get<bool>();
}

ConnectSettings parse_connect_settings(const json& config, const std::string& who) {
    ConnectSettings s;
    s.host = string_key(config, "host", "", who);
    if (s.host.empty()) throw Error(who + " config: 'host' is required");
    s.port = static_cast<int>(integer_key(config, "port", 21, 1, 65535, who));
    s.user = string_key(config, "user", "", who);
    if (s.user.empty()) throw Error(who + " config: 'user' is required");
    if (s.user.find_first_of(std::string("\r\n\0", 3)) != std::string::npos) {
        throw Error(who + " config: 'user' contains a line break");
    }
    s.ca_file = string_key(config, "ca_file", "", who);
    if (s.ca_file.empty()) {
        throw Error(who +
                    " config: 'ca_file' is required (the CA that signed the server's "
                    "certificate)");
    }
    s.verify_host = boolean_key(config, "verify_host", true, who);
    const std::string tls_max = string_key(config, "tls_max_version", "1.3", who);
    if (tls_max != "1.2" && tls_max != "1.3") {
        throw Error(who + " config: 'tls_max_version' must be \"1.2\" or \"1.3\"");
    }
    s.tls_max = tls_max == "1.2" ? 12 : 13;
    s.client_certificate = string_key(config, "client_certificate", "", who);
    s.client_key = string_key(config, "client_key", "", who);
    if (s.client_certificate.empty() != s.client_key.empty()) {
        throw Error(who + " config: give both 'client_certificate' and 'client_key', or neither");
    }
    s.connect_timeout_seconds = integer_key(config, "connect_timeout_seconds", 10, 1, 600, who);
    try {
        s.password = read_password(string_key(config, "password_file", "", who),
                                   string_key(config, "password_env", "", who));
    } catch (const Error& e) {
        throw Error(who + " config: " + e.what());
    }
    return s;
}

}  // namespace sightline::ftps_client
