#include "config.hpp"

#include <nlohmann/json.hpp>

#include "sightline/plugin/api.hpp"

namespace sightline::evaluator_columnar {

using sightline::plugin::Error;

namespace {

// A line count: a JSON integer >= 0, or its decimal text (the host hands the values of a
// free-form object over as strings).
uint64_t line_count(const nlohmann::json& v, const std::string& key) {
    if (v.is_number_unsigned()) return v.get<uint64_t>();
    if (v.is_number_integer() && v.get<int64_t>() >= 0)
        return static_cast<uint64_t>(v.get<int64_t>());
    if (v.is_string()) {
        const std::string text = v.get<std::string>();
        if (!text.empty() && text.size() <= 19 &&
            text.find_first_not_of("0123456789") == std::string::npos)
            return std::stoull(text);
    }
    throw Error("'" + key + "' must be an integer >= 0");
}

}  // namespace

ColumnarConfig parse_config(const std::string& config_json) {
    nlohmann::json config;
    try {
        config = nlohmann::json::parse(config_json.empty() ? "{}" : config_json);
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("config is not valid JSON: ") + e.what());
    }
    if (!config.is_object()) throw Error("config must be a JSON object");
    ColumnarConfig out;
    if (config.contains("max_resident_lines"))
        out.max_resident_lines = line_count(config["max_resident_lines"], "max_resident_lines");
    if (config.contains("tenant_max_resident_lines")) {
        const auto& limits = config["tenant_max_resident_lines"];
        if (!limits.is_object())
            throw Error("'tenant_max_resident_lines' must map tenant ids to line counts");
        for (const auto& [tenant, value] : limits.items())
            out.tenant_max_resident_lines[tenant] =
                line_count(value, "tenant_max_resident_lines." + tenant);
    }
    if (config.contains("persist")) {
        if (!config["persist"].is_boolean()) throw Error("'persist' must be true or false");
        out.persist = config["persist"].get<bool>();
    }
    return out;
}

}  // namespace sightline::evaluator_columnar
