// The archive-ftps config for the vsftpd that tests/vsftpd/run-with-vsftpd.sh started, and the
// server-side path of an object (vsftpd runs without chroot here, so remote paths are local).
#pragma once

#include <cstdlib>
#include <string>

namespace archive_ftps_test {

inline std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}

inline bool have_vsftpd() { return !env("SIGHTLINE_VSFTPD_PORT").empty(); }

inline std::string skip_reason() {
    return have_vsftpd() ? ""
                         : "no vsftpd: run through tests/vsftpd/run-with-vsftpd.sh (ctest does)";
}

// "{dir}" is the test's own folder: the archive lives under the same path inside the server's
// root. vsftpd 3.0.3 cannot do TLS 1.3 with require_ssl_reuse, hence tls_max_version.
inline std::string config_json() {
    if (!have_vsftpd()) return "{}";
    return R"({"host": "127.0.0.1", "port": )" + env("SIGHTLINE_VSFTPD_PORT") + R"(, "user": ")" +
           env("SIGHTLINE_VSFTPD_USER") + R"(", "password_file": ")" +
           env("SIGHTLINE_VSFTPD_PASSWORD_FILE") + R"(", "ca_file": ")" +
           env("SIGHTLINE_VSFTPD_CA") +
           R"(", "verify_host": true, "tls_max_version": "1.2", "client_certificate": null,
              "client_key": null, "connect_timeout_seconds": 5, "timeout_seconds": 30,
              "base_dir": ")" +
           env("SIGHTLINE_VSFTPD_ROOT") + R"({dir}/archive", "spool_dir": "{dir}/spool"})";
}

inline std::string object_path(const std::string& dir, const std::string& tenant,
                               const std::string& sha) {
    return env("SIGHTLINE_VSFTPD_ROOT") + dir + "/archive/" + tenant + "/objects/" + sha;
}

}  // namespace archive_ftps_test
