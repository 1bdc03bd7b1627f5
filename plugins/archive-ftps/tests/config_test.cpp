// archive-ftps config: defaults and refusals (no server needed).
#include <gtest/gtest.h>
#include <stdlib.h>

#include "config.hpp"
#include "sightline/plugin/api.hpp"

namespace {

using sightline::archive_ftps::parse_config;
using sightline::plugin::Error;

const std::string kBase =
    R"({"host": "backup.example", "user": "sightline", "ca_file": "/etc/ca.pem",
        "password_env": "ARCHIVE_FTPS_TEST_PASSWORD")";

TEST(ArchiveFtpsConfig, Defaults) {
    ::setenv("ARCHIVE_FTPS_TEST_PASSWORD", "pw", 1);
    const auto c = parse_config(kBase + "}");
    EXPECT_EQ(c.base_dir, "/sightline");
    EXPECT_EQ(c.spool_dir, "");
    EXPECT_EQ(c.connect.port, 21);
    EXPECT_EQ(c.connect.tls_max, 13);
    EXPECT_EQ(c.connect.response_timeout_seconds, 60);
    EXPECT_EQ(parse_config(kBase + R"(, "base_dir": "/backup/sl/"})").base_dir, "/backup/sl");
    EXPECT_EQ(parse_config(kBase + R"(, "tls_max_version": "1.2"})").connect.tls_max, 12);
}

TEST(ArchiveFtpsConfig, Refusals) {
    ::setenv("ARCHIVE_FTPS_TEST_PASSWORD", "pw", 1);
    EXPECT_THROW(parse_config(kBase + R"(, "base_dir": "relative"})"), Error);
    EXPECT_THROW(parse_config(kBase + R"(, "base_dir": "/a/.hidden"})"), Error);
    EXPECT_THROW(parse_config(kBase + R"(, "tls_max_version": "1.1"})"), Error);
    EXPECT_THROW(parse_config(kBase + R"(, "root": "/x"})"), Error);
    EXPECT_THROW(parse_config(R"({"host": "h", "user": "u", "ca_file": "/c"})"), Error);
}

}  // namespace
