// The configuration both PostgreSQL-family plugins share, parsed from the host's validated JSON
// (schemas: config_schema.hpp here and in target-greenplum).
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace sightline::target_pg {

struct PgConfig {
    std::string admin_dsn;  // secret: never logged or put in messages
    std::string database_prefix = "sightline_";
    std::string secrets_dir;  // empty: <state_dir>/<plugin id>
    int64_t connect_timeout_s = 10;
};

// Parses the shared keys; unknown keys are left to the caller (the host already refused keys the
// schema does not list). Throws Error on a missing or mistyped key.
PgConfig parse_config(const nlohmann::json& config);
nlohmann::json parse_config_json(const std::string& config_json);

// Helpers for plugin-specific keys.
int64_t integer_in_range(const nlohmann::json& config, const char* key, int64_t fallback,
                         int64_t min, int64_t max);
std::string string_or(const nlohmann::json& config, const char* key, const std::string& fallback);

}  // namespace sightline::target_pg
