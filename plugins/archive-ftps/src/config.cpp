#include "config.hpp"

#include <nlohmann/json.hpp>

#include "remote_path.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::archive_ftps {

const char config_schema_json[] = R"json({
  "host": {"type": "string", "required": true,
    "description": "The FTPS server keeping the archive (name or address; checked against its certificate)"},
  "user": {"type": "string", "required": true, "description": "The account on that server"},
)json" SIGHTLINE_FTPS_CONNECT_SCHEMA_KEYS R"json(
  "timeout_seconds": {"type": "integer", "default": 60, "minimum": 1, "maximum": 3600,
    "description": "Longest wait for any one reply of the server, and for a stalled transfer"},
  "base_dir": {"type": "string", "default": "/sightline",
    "description": "Remote folder of the archive: <base_dir>/<tenant>/objects/<sha256> and history/"},
  "spool_dir": {"type": "string",
    "description": "Local folder for objects on their way (default: the plugin's state folder)"}
})json";

namespace {

using nlohmann::json;
using plugin::Error;

const char* const kWho = "archive-ftps";

}  // namespace

ArchiveConfig parse_config(const std::string& json_text) {
    const json config = ftps_client::config_object(json_text, config_schema_json, kWho);
    ArchiveConfig parsed;
    parsed.connect = ftps_client::parse_connect_settings(config, kWho);
    const int64_t timeout = ftps_client::integer_key(config, "timeout_seconds", 60, 1, 3600, kWho);
    parsed.connect.response_timeout_seconds = timeout;
    parsed.connect.stall_timeout_seconds = timeout;
    parsed.base_dir = ftps_client::string_key(config, "base_dir", "/sightline", kWho);
    while (parsed.base_dir.size() > 1 && parsed.base_dir.back() == '/') parsed.base_dir.pop_back();
    try {
        ftps_client::check_remote_path(parsed.base_dir);
    } catch (const Error& e) {
        throw Error(std::string(kWho) + " config: 'base_dir': " + e.what());
    }
    parsed.spool_dir = ftps_client::string_key(config, "spool_dir", "", kWho);
    return parsed;
}

}  // namespace sightline::archive_ftps
