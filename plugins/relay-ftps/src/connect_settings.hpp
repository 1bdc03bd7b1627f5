// How an FTPS client reaches its server: shared by relay-ftps and archive-ftps, which accept the
// same connection keys in their configs.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

// The schema entries of the connection keys that parse_connect_settings() reads, shared by the
// plugins' descriptors (which need constant text). Each plugin adds its own "host" and "user"
// descriptions. Ends with a comma: put it between the plugin's own entries.
// clang-format off
#define SIGHTLINE_FTPS_CONNECT_SCHEMA_KEYS \
    "  \"port\": {\"type\": \"integer\", \"default\": 21, \"minimum\": 1, \"maximum\": 65535,\n" \
    "    \"description\": \"Its control port (explicit FTPS: AUTH TLS)\"},\n" \
    "  \"password_file\": {\"type\": \"string\",\n" \
    "    \"description\": \"File holding the password (first line); refused unless mode 0600 or stricter\"},\n" \
    "  \"password_env\": {\"type\": \"string\",\n" \
    "    \"description\": \"Or: the environment variable holding the password\"},\n" \
    "  \"ca_file\": {\"type\": \"string\", \"required\": true,\n" \
    "    \"description\": \"PEM CA certificate(s) the server's certificate must chain to (the system store is not used)\"},\n" \
    "  \"verify_host\": {\"type\": \"boolean\", \"default\": true,\n" \
    "    \"description\": \"Check that the certificate names host\"},\n" \
    "  \"tls_max_version\": {\"type\": \"string\", \"default\": \"1.3\", \"enum\": [\"1.2\", \"1.3\"],\n" \
    "    \"description\": \"Highest TLS version offered (1.2 is the minimum); 1.2 for servers whose TLS 1.3 session reuse fails, e.g. vsftpd 3.0\"},\n" \
    "  \"client_certificate\": {\"type\": \"string\", \"description\": \"PEM client certificate to present (optional)\"},\n" \
    "  \"client_key\": {\"type\": \"string\", \"description\": \"PEM key of client_certificate\"},\n" \
    "  \"connect_timeout_seconds\": {\"type\": \"integer\", \"default\": 10, \"minimum\": 1, \"maximum\": 600,\n" \
    "    \"description\": \"Connecting, TLS handshake and login\"},\n"
// clang-format on

namespace sightline::ftps_client {

struct ConnectSettings {
    std::string host;
    int port = 21;
    std::string user;
    std::string password;  // never logged
    std::string ca_file;   // the only trust anchors: the system store is not consulted
    bool verify_host = true;
    // Highest TLS version offered: 13, or 12 for servers that break TLS 1.3 session reuse on
    // data connections (vsftpd 3.0.x with require_ssl_reuse: the second transfer fails).
    int tls_max = 13;
    std::string client_certificate;  // PEM, optional
    std::string client_key;          // PEM, optional (with client_certificate)
    int64_t connect_timeout_seconds = 10;
    int64_t response_timeout_seconds = 60;  // any one reply; the relay raises it for the 226
    int64_t stall_timeout_seconds = 120;    // a data transfer with no progress for this long
};

// Reads the connection keys of a plugin config (host, port, user, password_file | password_env,
// ca_file, verify_host, tls_max_version, client_certificate, client_key, connect_timeout_seconds)
// and the password itself. Throws plugin::Error naming the key at fault, prefixed with `who`.
ConnectSettings parse_connect_settings(const nlohmann::json& config, const std::string& who);

// The plugin's config JSON as an object, every key one the schema declares (the host checked
// already; this guards direct use of the module).
nlohmann::json config_object(const std::string& json_text, const char* schema_json,
                             const std::string& who);

// Shared helpers for the rest of a config: a string (fallback when absent) and a bounded integer.
std::string string_key(const nlohmann::json& config, const char* key, const std::string& fallback,
                       const std::string& who);
int64_t integer_key(const nlohmann::json& config, const char* key, int64_t fallback, int64_t min,
                    int64_t max, const std::string& who);
bool boolean_key(const nlohmann::json& config, const char* key, bool fallback,
                 const std::string& who);

}  // namespace sightline::ftps_client
