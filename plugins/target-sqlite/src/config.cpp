#include "config.hpp"

#include <nlohmann/json.hpp>

#include "sightline/plugin/api.hpp"

namespace sightline::target_sqlite {

using sightline::plugin::Error;

namespace {

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

}  // namespace

TargetConfig parse_config(const std::string& config_json) {
    nlohmann::json config;
    try {
        config = nlohmann::json::parse(config_json.empty() ? "{}" : config_json);
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("config is not valid JSON: ") + e.what());
    }
    if (!config.is_object()) throw Error("config must be a JSON object");

    TargetConfig result;
    if (!config.contains("dir") || !config["dir"].is_string() ||
        config["dir"].get<std::string>().empty()) {
        throw Error("'dir' is required: the folder of the tenant databases");
    }
    result.dir = config["dir"].get<std::string>();

    if (config.contains("synchronous")) {
        const auto& value = config["synchronous"];
        const std::string level = value.is_string() ? value.get<std::string>() : "";
        if (level != "normal" && level != "full") {
            throw Error("'synchronous' must be \"normal\" or \"full\"");
        }
        result.synchronous_full = level == "full";
    }
    result.busy_timeout_ms = integer_in_range(config, "busy_timeout_ms", 10000, 0, 600000);
    result.cache_size_mib = integer_in_range(config, "cache_size_mib", 4, 1, 1024);
    return result;
}

}  // namespace sightline::target_sqlite
