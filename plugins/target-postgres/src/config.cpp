#include "config.hpp"

#include <nlohmann/json.hpp>

#include "sightline/plugin/api.hpp"

namespace sightline::target_pg {

using sightline::plugin::Error;

int64_t integer_in_range(const nlohmann::json& config, const char* key, int64_t fallback,
                         int64_t min, int64_t max) {
    if (!config.contains(key)) return fallback;
    const auto& value = config.at(key);
    if (!value.is_number_integer()) throw Error(std::string("'") + key + "' must be an integer");
    const auto number = value.get<int64_t>();
    if (number < min || number > max) {
        throw Error(std::string("'") + key + "' must be between " + std::to_string(min) + " and " +
                    std::to_string(max));
    }
    return number;
}

std::string string_or(const nlohmann::json& config, const char* key, const std::string& fallback) {
    if (!config.contains(key)) return fallback;
    if (!config.at(key).is_string()) throw Error(std::string("'") + key + "' must be a string");
    return config.at(key).get<std::string>();
}

nlohmann::json parse_config_json(const std::string& config_json) {
    nlohmann::json config;
    try {
        config = nlohmann::json::parse(config_json.empty() ? "{}" : config_json);
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("config is not valid JSON: ") + e.what());
    }
    if (!config.is_object()) throw Error("config must be a JSON object");
    return config;
}

PgConfig parse_config(const nlohmann::json& config) {
    PgConfig result;
    result.admin_dsn = string_or(config, "admin_dsn", "");
    if (result.admin_dsn.empty()) {
        throw Error(
            "'admin_dsn' is required: a libpq connection string of a role that may create "
            "databases and roles");
    }
    result.database_prefix = string_or(config, "database_prefix", result.database_prefix);
    // The prefix becomes part of database and role names: keep them plain lower-case names.
    for (char c : result.database_prefix) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            throw Error("'database_prefix' may hold only a-z, 0-9 and _");
        }
    }
    result.secrets_dir = string_or(config, "secrets_dir", "");
    result.connect_timeout_s = integer_in_range(config, "connect_timeout_s", 10, 1, 600);
    return result;
}

}  // namespace sightline::target_pg
