#include "relay_config.hpp"

#include <set>

#include <nlohmann/json.hpp>

#include "remote_path.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::relay_ftps {

const char config_schema_json[] = R"json({
  "host": {"type": "string", "required": true,
    "description": "The load server's internal FTPS intake (name or address; checked against its certificate)"},
  "user": {"type": "string", "required": true, "description": "The relay account on the load server"},
)json" SIGHTLINE_FTPS_CONNECT_SCHEMA_KEYS R"json(
  "base_dir": {"type": "string", "default": "/",
    "description": "Remote folder holding the tenants' folders: files go to <base_dir>/<tenant>/[full/]<name>"},
  "result_timeout_seconds": {"type": "integer", "default": 3600, "minimum": 1, "maximum": 86400,
    "description": "How long to wait for a reply, notably the final one, sent after the load server processed the file"},
  "backoff_initial_seconds": {"type": "integer", "default": 1, "minimum": 1, "maximum": 3600,
    "description": "First wait after a failed delivery; doubles on each further failure"},
  "backoff_max_seconds": {"type": "integer", "default": 300, "minimum": 1, "maximum": 86400,
    "description": "Longest wait between delivery attempts"},
  "verify_hash": {"type": "boolean", "default": true,
    "description": "Confirm each delivery with HASH (SHA-256). Turn off only to test against servers without HASH"}
})json";

namespace {

using nlohmann::json;
using plugin::Error;

const char* const kWho = "relay-ftps";

}  // namespace

RelayConfig parse_config(const std::string& json_text) {
    const json config = ftps_client::config_object(json_text, config_schema_json, kWho);

    RelayConfig parsed;
    parsed.connect = ftps_client::parse_connect_settings(config, kWho);
    parsed.base_dir = ftps_client::string_key(config, "base_dir", "/", kWho);
    while (parsed.base_dir.size() > 1 && parsed.base_dir.back() == '/') parsed.base_dir.pop_back();
    try {
        ftps_client::check_remote_path(parsed.base_dir);
    } catch (const Error& e) {
        throw Error(std::string(kWho) + " config: 'base_dir': " + e.what());
    }
    parsed.result_timeout_seconds =
        ftps_client::integer_key(config, "result_timeout_seconds", 3600, 1, 86400, kWho);
    parsed.backoff_initial_seconds =
        ftps_client::integer_key(config, "backoff_initial_seconds", 1, 1, 3600, kWho);
    parsed.backoff_max_seconds =
        ftps_client::integer_key(config, "backoff_max_seconds", 300, 1, 86400, kWho);
    if (parsed.backoff_max_seconds < parsed.backoff_initial_seconds) {
        throw Error(std::string(kWho) +
                    " config: 'backoff_max_seconds' must not be below 'backoff_initial_seconds'");
    }
    parsed.verify_hash = ftps_client::boolean_key(config, "verify_hash", true, kWho);
    parsed.connect.response_timeout_seconds = parsed.result_timeout_seconds;
    return parsed;
}

}  // namespace sightline::relay_ftps
