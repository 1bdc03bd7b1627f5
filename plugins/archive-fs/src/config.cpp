#include "config.hpp"

#include <nlohmann/json.hpp>

#include "sightline/plugin/api.hpp"

namespace sightline::archive_fs {

using sightline::plugin::Error;

ArchiveConfig parse_config(const std::string& config_json) {
    nlohmann::json config;
    try {
        config = nlohmann::json::parse(config_json.empty() ? "{}" : config_json);
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("config is not valid JSON: ") + e.what());
    }
    if (!config.is_object()) throw Error("config must be a JSON object");

    ArchiveConfig result;
    if (!config.contains("root") || !config["root"].is_string() ||
        config["root"].get<std::string>().empty()) {
        throw Error("'root' is required: the folder of the archive");
    }
    result.root = config["root"].get<std::string>();

    if (config.contains("compression")) {
        const auto& value = config["compression"];
        const std::string kind = value.is_string() ? value.get<std::string>() : "";
        if (kind != "none" && kind != "zstd") {
            throw Error("'compression' must be \"none\" or \"zstd\"");
        }
        result.compress = kind == "zstd";
    }
    if (config.contains("zstd_level")) {
        const auto& value = config["zstd_level"];
        if (!value.is_number_integer() || value.get<int64_t>() < 1 || value.get<int64_t>() > 19) {
            throw Error("'zstd_level' must be an integer from 1 to 19");
        }
        result.zstd_level = value.get<int>();
    }
    if (config.contains("zstd_workers")) {
        const auto& value = config["zstd_workers"];
        if (!value.is_number_integer() || value.get<int>() < 0 || value.get<int>() > 8)
            throw Error("'zstd_workers' must be an integer from 0 to 8");
        result.zstd_workers = value.get<int>();
    }
    if (config.contains("fsync")) {
        if (!config["fsync"].is_boolean()) throw Error("'fsync' must be true or false");
        result.fsync = config["fsync"].get<bool>();
    }
    return result;
}

}  // namespace sightline::archive_fs
