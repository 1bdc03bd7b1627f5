// Integrity and layout on the server: truncated and missing objects, temporary files, the
// history files, a wrong CA, all against vsftpd.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sightline/plugin/archive.hpp>
#include <sightline/testing/conformance/sha256.hpp>
#include <sightline/testing/plugin_testing.hpp>

#include "live_config.hpp"

namespace {

using namespace archive_ftps_test;
using sightline::plugin::Archive;
using sightline::plugin::Error;
using sightline::testing::FakeHost;
using sightline::testing::load_plugin_module;
using sightline::testing::TempDir;
using sightline::testing::conformance::sha256_hex;
namespace fs = std::filesystem;

class ArchiveFtpsLiveTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (!have_vsftpd()) GTEST_SKIP() << skip_reason();
        archive_ = make(config_json());
    }
    void TearDown() override { archive_.reset(); }

    std::unique_ptr<Archive> make(std::string config) {
        for (size_t at = 0; (at = config.find("{dir}", at)) != std::string::npos;) {
            config.replace(at, 5, dir_.path());
        }
        sightline::plugin::CreateContext context;
        context.host = &host_;
        context.config_json = config;
        context.instance_name = "archive";
        auto created = load_plugin_module(ARCHIVE_FTPS_PLUGIN_PATH).create(context);
        auto* archive = dynamic_cast<Archive*>(created.get());
        created.release();
        return std::unique_ptr<Archive>(archive);
    }
    std::string put(const std::string& tenant, const std::string& bytes) {
        auto writer = archive_->create(tenant);
        writer->write(bytes.data(), bytes.size());
        writer->commit(sha256_hex(bytes));
        return sha256_hex(bytes);
    }
    std::string get(const std::string& tenant, const std::string& sha) {
        auto reader = archive_->open(tenant, sha);
        std::string out, buffer(777, '\0');
        while (size_t n = reader->read(buffer.data(), buffer.size())) out.append(buffer.data(), n);
        return out;
    }
    std::string remote(const std::string& rest) const {
        return env("SIGHTLINE_VSFTPD_ROOT") + dir_.path() + "/archive/" + rest;
    }

    TempDir dir_;
    FakeHost host_;
    std::unique_ptr<Archive> archive_;
};

TEST_F(ArchiveFtpsLiveTest, LayoutOnTheServer) {
    const std::string sha = put("acme", "order,timestamp\n");
    EXPECT_TRUE(fs::is_regular_file(remote("acme/objects/" + sha)));
    archive_->append_history("acme", R"({"n":1})");
    archive_->append_history("acme", R"({"n":2})");
    EXPECT_TRUE(fs::is_regular_file(remote("acme/history/000000000001.json")));
    EXPECT_TRUE(fs::is_regular_file(remote("acme/history/000000000002.json")));
    // No temporary file is left behind, locally or remotely.
    for (const auto& entry : fs::recursive_directory_iterator(remote("acme"))) {
        EXPECT_EQ(entry.path().filename().string().rfind("tmp-", 0), std::string::npos)
            << entry.path();
    }
    EXPECT_TRUE(fs::is_empty(dir_.path() + "/spool"));
}

TEST_F(ArchiveFtpsLiveTest, ATruncatedObjectIsCorrupt) {
    const std::string sha = put("acme", std::string(100000, 'x'));
    fs::resize_file(remote("acme/objects/" + sha), 50000);
    EXPECT_THROW(get("acme", sha), Error);
}

TEST_F(ArchiveFtpsLiveTest, AnObjectRemovedOnTheServerIsMissing) {
    const std::string sha = put("acme", "bytes");
    fs::remove(remote("acme/objects/" + sha));
    EXPECT_FALSE(archive_->contains("acme", sha));
    EXPECT_THROW(archive_->open("acme", sha), Error);
    // And can be stored again.
    put("acme", "bytes");
    EXPECT_EQ(get("acme", sha), "bytes");
}

TEST_F(ArchiveFtpsLiveTest, OtherFilesInObjectsAreNotListed) {
    const std::string sha = put("acme", "bytes");
    std::ofstream(remote("acme/objects/tmp-0123456789abcdef")) << "partial";
    std::ofstream(remote("acme/objects/notes.txt")) << "x";
    EXPECT_EQ(archive_->list("acme"), std::vector<std::string>{sha});
    std::ofstream(remote("acme/history/tmp-0123456789abcdef")) << "partial";
    std::ofstream(remote("acme/history/000000000009.txt")) << "x";
    EXPECT_TRUE(archive_->history("acme").empty());
}

TEST_F(ArchiveFtpsLiveTest, BadNamesAreRefusedBeforeAnythingIsSent) {
    EXPECT_THROW(archive_->create("../etc"), Error);
    EXPECT_THROW(archive_->create("Acme"), Error);
    EXPECT_THROW(archive_->open("acme", "../../x"), Error);
    EXPECT_THROW(archive_->contains("acme", std::string(64, 'A')), Error);
    auto writer = archive_->create("acme");
    writer->write("x", 1);
    EXPECT_THROW(writer->commit(sha256_hex("y")), Error);  // not the bytes written
    EXPECT_TRUE(archive_->list("acme").empty());
}

TEST_F(ArchiveFtpsLiveTest, AWrongCaStopsEverything) {
    std::string config = config_json();
    config.replace(config.find(env("SIGHTLINE_VSFTPD_CA")), env("SIGHTLINE_VSFTPD_CA").size(),
                   env("SIGHTLINE_VSFTPD_OTHER_CA"));
    auto other = make(config);
    EXPECT_THROW(other->list("acme"), Error);
    auto writer = other->create("acme");
    writer->write("x", 1);
    EXPECT_THROW(writer->commit(sha256_hex("x")), Error);
}

}  // namespace
