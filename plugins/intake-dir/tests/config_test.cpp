// The descriptor and the configuration the plugin accepts.
#include <sys/stat.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fixture.hpp"

namespace sightline::intake_dir::testing {
namespace {

using ::testing::HasSubstr;

TEST(Descriptor, DescribesATransportForThisApi) {
    const auto& d = descriptor();
    EXPECT_EQ(d.struct_size, sizeof(sl_plugin_descriptor));
    EXPECT_EQ(d.api_major, SIGHTLINE_PLUGIN_API_MAJOR);
    EXPECT_EQ(d.api_minor, SIGHTLINE_PLUGIN_API_MINOR);
    EXPECT_STREQ(d.abi_tag, SIGHTLINE_ABI_TAG);
    EXPECT_STREQ(d.id, "intake-dir");
    EXPECT_STREQ(d.kind, "transport");
    EXPECT_STREQ(d.version, "0.1.0");
    EXPECT_STREQ(d.license, "Apache-2.0");
    EXPECT_GT(std::string(d.description).size(), 10u);
    EXPECT_NE(d.create, nullptr);
    EXPECT_EQ(d.signature, nullptr);
}

TEST(Descriptor, SchemaListsEveryKeyWithItsTypeAndDefault) {
    const auto schema = nlohmann::json::parse(descriptor().config_schema);
    ASSERT_TRUE(schema.is_object());
    EXPECT_EQ(schema.size(), 5u);
    EXPECT_EQ(schema["root"]["type"], "string");
    EXPECT_EQ(schema["root"]["required"], true);
    EXPECT_EQ(schema["poll_interval_ms"]["type"], "integer");
    EXPECT_EQ(schema["poll_interval_ms"]["default"], 1000);
    EXPECT_EQ(schema["poll_interval_ms"]["minimum"], 10);
    EXPECT_EQ(schema["create_folders"]["type"], "boolean");
    EXPECT_EQ(schema["create_folders"]["default"], true);
    EXPECT_EQ(schema["settle_ms"]["type"], "integer");
    EXPECT_EQ(schema["settle_ms"]["default"], 0);
    EXPECT_EQ(schema["landing_mode"]["type"], "string");
    EXPECT_EQ(schema["landing_mode"]["default"], "0700");
    for (const auto& [key, entry] : schema.items()) {
        EXPECT_TRUE(entry.contains("description")) << key;
    }
}

struct BadConfig {
    const char* json;
    const char* complaint;
};

class BadConfigTest : public ::testing::TestWithParam<BadConfig> {};

TEST_P(BadConfigTest, IsRefusedWithAMessageNamingTheProblem) {
    FakeHost host({"acme"});
    try {
        create_transport(host, GetParam().json);
        FAIL() << "accepted " << GetParam().json;
    } catch (const plugin::Error& e) {
        EXPECT_THAT(e.what(), HasSubstr(GetParam().complaint));
        EXPECT_THAT(e.what(), HasSubstr("intake-dir"));
    }
}

INSTANTIATE_TEST_SUITE_P(
    Configs, BadConfigTest,
    ::testing::Values(BadConfig{"{}", "'root' is required"},
                      BadConfig{"not json", "not valid JSON"}, BadConfig{"[1]", "JSON object"},
                      BadConfig{R"({"root": 7})", "'root' must be a non-empty string"},
                      BadConfig{R"({"root": ""})", "'root' must be a non-empty string"},
                      BadConfig{R"({"root": "/x", "poll_interval_ms": 5})", "at least 10"},
                      BadConfig{R"({"root": "/x", "poll_interval_ms": 1.5})", "integer"},
                      BadConfig{R"({"root": "/x", "poll_interval_ms": 18446744073709551615})",
                                "at most"},
                      BadConfig{R"({"root": "/x", "settle_ms": -1})", "at least 0"},
                      BadConfig{R"({"root": "/x", "create_folders": "yes"})", "true or false"},
                      BadConfig{R"({"root": "/x", "rot": "/y"})", "unknown key 'rot'"},
                      BadConfig{R"({"root": "/x", "landing_mode": 770})", "must be a string"},
                      BadConfig{R"({"root": "/x", "landing_mode": "0778"})", "octal digits"},
                      BadConfig{R"({"root": "/x", "landing_mode": "77"})", "octal digits"},
                      BadConfig{R"({"root": "/x", "landing_mode": "0777"})", "others no access"},
                      BadConfig{R"({"root": "/x", "landing_mode": "0775"})", "others no access"},
                      BadConfig{R"({"root": "/x", "landing_mode": "0570"})", "rwx for the owner"},
                      BadConfig{R"({"root": "/x", "landing_mode": "4770"})", "setuid"}));

mode_t mode_of(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
}

// The folders the plugin creates get exactly the profile's mode (private by default), whatever
// the umask: the host runs with umask 077, which alone would strip a group's access.
TEST_F(IntakeDirTest, CreatedFoldersGetTheLandingModeWhateverTheUmask) {
    const mode_t old_umask = ::umask(077);
    make_ready(R"("landing_mode": "2770")");
    ::umask(old_umask);
    EXPECT_EQ(mode_of(root_), 02770u);
    EXPECT_EQ(mode_of(root_ + "/acme"), 02770u);
    EXPECT_EQ(mode_of(root_ + "/acme/full"), 02770u);
}

TEST_F(IntakeDirTest, CreatedFoldersArePrivateByDefault) {
    const mode_t old_umask = ::umask(0);
    make_ready();
    ::umask(old_umask);
    EXPECT_EQ(mode_of(root_), 0700u);
    EXPECT_EQ(mode_of(root_ + "/globex"), 0700u);
    EXPECT_EQ(mode_of(root_ + "/globex/full"), 0700u);
}

TEST_F(IntakeDirTest, RelativeRootIsResolvedSoUploadPathsAreAbsolute) {
    char previous[4096];
    ASSERT_NE(::getcwd(previous, sizeof previous), nullptr);
    ASSERT_EQ(::chdir(dir_.path().c_str()), 0);
    transport_ = create_transport(host_, R"({"root": "./landing/"})");
    ASSERT_EQ(::chdir(previous), 0);

    transport_->drain(sink_);
    write_file(incoming("acme", "a.csv"), "a");
    transport_->drain(sink_);

    const auto submitted = sink_.submissions();
    ASSERT_EQ(submitted.size(), 1u);
    EXPECT_EQ(submitted[0].upload.path, incoming("acme", "a.csv"));
}

}  // namespace
}  // namespace sightline::intake_dir::testing
