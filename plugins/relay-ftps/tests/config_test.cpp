// The relay's config: defaults, refusals, and where the password may come from.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <fstream>
#include <sightline/testing/plugin_testing.hpp>

#include "relay_config.hpp"

namespace {

using sightline::plugin::Error;
using sightline::relay_ftps::parse_config;
using sightline::testing::TempDir;

class RelayConfigTest : public ::testing::Test {
protected:
    RelayConfigTest() { ::setenv("RELAY_FTPS_TEST_PASSWORD", "s3cret", 1); }
    std::string password_file(mode_t mode) {
        const std::string path = dir_.path() + "/password";
        std::ofstream(path) << "from-file\n";
        ::chmod(path.c_str(), mode);
        return path;
    }
    static std::string with(const std::string& extra) {
        return R"({"host": "core.internal", "user": "relay", "ca_file": "/etc/ca.pem")" +
               (extra.empty() ? "" : ", " + extra) + "}";
    }
    TempDir dir_;
};

TEST_F(RelayConfigTest, Defaults) {
    const auto c = parse_config(with(R"("password_env": "RELAY_FTPS_TEST_PASSWORD")"));
    EXPECT_EQ(c.connect.host, "core.internal");
    EXPECT_EQ(c.connect.port, 21);
    EXPECT_EQ(c.connect.password, "s3cret");
    EXPECT_TRUE(c.connect.verify_host);
    EXPECT_EQ(c.connect.connect_timeout_seconds, 10);
    EXPECT_EQ(c.result_timeout_seconds, 3600);
    EXPECT_EQ(c.connect.response_timeout_seconds, 3600);
    EXPECT_EQ(c.backoff_initial_seconds, 1);
    EXPECT_EQ(c.backoff_max_seconds, 300);
    EXPECT_EQ(c.base_dir, "/");
    EXPECT_TRUE(c.verify_hash);
}

TEST_F(RelayConfigTest, PasswordFileMustBePrivate) {
    const std::string path = password_file(0600);
    EXPECT_EQ(parse_config(with(R"("password_file": ")" + path + R"(")")).connect.password,
              "from-file");
    ::chmod(path.c_str(), 0640);
    try {
        parse_config(with(R"("password_file": ")" + path + R"(")"));
        FAIL() << "a group-readable password file was accepted";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("group or others"), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find("from-file"), std::string::npos);
    }
    ::chmod(path.c_str(), 0604);
    EXPECT_THROW(parse_config(with(R"("password_file": ")" + path + R"(")")), Error);
}

TEST_F(RelayConfigTest, Refusals) {
    const std::string env = R"("password_env": "RELAY_FTPS_TEST_PASSWORD")";
    EXPECT_THROW(parse_config(with("")), Error);  // no password source
    EXPECT_THROW(parse_config(with(env + R"(, "password_file": "/x")")), Error);  // both
    EXPECT_THROW(parse_config(with(R"("password_env": "RELAY_FTPS_TEST_UNSET_VARIABLE")")), Error);
    EXPECT_THROW(parse_config(R"({"host": "h", "user": "u", "password_env":
                              "RELAY_FTPS_TEST_PASSWORD"})"),
                 Error);  // no ca_file
    EXPECT_THROW(parse_config(with(env + R"(, "colour": "red")")), Error);
    EXPECT_THROW(parse_config(with(env + R"(, "port": 70000)")), Error);
    EXPECT_THROW(parse_config(with(env + R"(, "client_certificate": "/c.pem")")), Error);
    EXPECT_THROW(parse_config(with(env + R"(, "base_dir": "/a/../b")")), Error);
    EXPECT_THROW(parse_config(with(env + R"(, "backoff_initial_seconds": 10,
                                           "backoff_max_seconds": 5)")),
                 Error);
    EXPECT_THROW(parse_config("[1]"), Error);
}

}  // namespace
