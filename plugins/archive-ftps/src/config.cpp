#include "config.hpp"

#include <nlohmann/json.hpp>

#include "remote_path.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::archive_ftps {

const char config_schema_json[] = R"json({
  "host": {"type": "string", "required": true,
    "description": "The FTPS server keeping the archive (name or address; checked against its certificate)"},
  "port": {"type": "integer", "default": 21, "minimum": 1, "maximum": 65535,
    "description": "Its control port (explicit FTPS: AUTH TLS)"},
  "user": {"type": "string", "required": true, "description": "The account on that server"},
  "password_file": {"type": "string",
    "description": "File holding the password (first line); refused unless mode 0600 or stricter"},
  "password_env": {"type": "string",
    "description": "Or: the environment variable holding the password"},
  "ca_file": {"type": "string", "required": true,
    "description": "PEM CA certificate(s) the server's certificate must chain to (the system store is not used)"},
  "verify_host": {"type": "boolean", "default": true,
    "description": "Check that the certificate names host"},
  "tls_max_version": {"type": "string", "default": "1.3", "enum": ["1.2", "1.3"],
    "description": "Highest TLS version offered (1.2 is the minimum); 1.2 for servers whose TLS 1.3 session reuse fails, e.g. vsftpd 3.0"},
  "client_certificate": {"type": "string", "description": "PEM client certificate to present (optional)"},
  "client_key": {"type": "string", "description": "PEM key of client_certificate"},
  "connect_timeout_seconds": {"type": "integer", "default": 10, "minimum": 1, "maximum": 600,
    "description": "Connecting, TLS handshake and login"},
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
