// The vsftpd started by tests/vsftpd/run-with-vsftpd.sh, as its environment describes it. Tests
// skip when it is absent (the binary run on its own).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "connect_settings.hpp"

namespace sightline::relay_ftps::testing {

inline std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}

inline bool have_vsftpd() { return !env("SIGHTLINE_VSFTPD_PORT").empty(); }

#define SKIP_WITHOUT_VSFTPD()                             \
    if (!::sightline::relay_ftps::testing::have_vsftpd()) \
    GTEST_SKIP() << "no vsftpd: run through tests/vsftpd/run-with-vsftpd.sh (ctest does)"

inline ftps_client::ConnectSettings vsftpd_settings() {
    ftps_client::ConnectSettings s;
    s.host = "127.0.0.1";
    s.port = std::stoi(env("SIGHTLINE_VSFTPD_PORT"));
    s.user = env("SIGHTLINE_VSFTPD_USER");
    s.password = env("SIGHTLINE_VSFTPD_PASSWORD");
    s.ca_file = env("SIGHTLINE_VSFTPD_CA");
    s.connect_timeout_seconds = 5;
    s.response_timeout_seconds = 20;
    return s;
}

// A folder of its own under the server's root, per test and process.
inline std::string unique_folder(const std::string& test) {
    static int counter = 0;
    return env("SIGHTLINE_VSFTPD_ROOT") + "/" + test + "-" + std::to_string(::getpid()) + "-" +
           std::to_string(++counter);
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace sightline::relay_ftps::testing
