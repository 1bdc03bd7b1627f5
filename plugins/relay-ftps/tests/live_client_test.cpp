// The FTPS client against a real vsftpd with explicit FTPS, TLS session reuse required on data
// connections, and a self-signed certificate for 127.0.0.1.
#include <gtest/gtest.h>

#include <filesystem>
#include <sightline/testing/plugin_testing.hpp>

#include "ftps_client.hpp"
#include "live_support.hpp"

namespace {

using namespace sightline::relay_ftps::testing;
using sightline::ftps_client::FtpsClient;
using sightline::ftps_client::RemoteMissing;
using sightline::plugin::Error;
using sightline::testing::TempDir;

class LiveClientTest : public ::testing::Test {
protected:
    void SetUp() override {
        SKIP_WITHOUT_VSFTPD();
        folder_ = unique_folder("client");
        std::filesystem::create_directories(folder_);
        local_ = dir_.path() + "/local.csv";
        std::ofstream(local_) << content_;
    }
    TempDir dir_;
    std::string folder_, local_;
    std::string content_ = "order,timestamp\nA1,2026-11-01\n";
};

TEST_F(LiveClientTest, PutListSizeGetRenameRemoveOnOneConnection) {
    FtpsClient client(vsftpd_settings());
    const std::string remote = folder_ + "/sales 1.csv";
    const std::string final_line = client.put(remote, local_);
    EXPECT_EQ(final_line.substr(0, 4), "226 ") << final_line;
    EXPECT_EQ(read_file(remote), content_);

    EXPECT_EQ(client.size(remote), static_cast<int64_t>(content_.size()));
    EXPECT_EQ(client.size(folder_ + "/missing.csv"), std::nullopt);
    EXPECT_EQ(client.list(folder_), std::vector<std::string>{"sales 1.csv"});

    std::string got;
    client.get(remote, [&](const char* data, size_t size) { got.append(data, size); });
    EXPECT_EQ(got, content_);
    EXPECT_THROW(client.get(folder_ + "/missing.csv", [](const char*, size_t) {}), RemoteMissing);

    client.rename(remote, folder_ + "/renamed.csv");
    EXPECT_EQ(client.list(folder_), std::vector<std::string>{"renamed.csv"});
    client.remove(folder_ + "/renamed.csv");
    EXPECT_TRUE(client.list(folder_).empty());
    EXPECT_THROW(client.remove(folder_ + "/renamed.csv"), Error);
}

TEST_F(LiveClientTest, MkdirsAndListingAMissingFolder) {
    FtpsClient client(vsftpd_settings());
    EXPECT_TRUE(client.list(folder_ + "/a/b").empty());
    client.mkdirs(folder_ + "/a/b");
    EXPECT_TRUE(std::filesystem::is_directory(folder_ + "/a/b"));
    client.mkdirs(folder_ + "/a/b");  // existing folders are fine
    client.put(folder_ + "/a/b/x.csv", local_);
    EXPECT_EQ(client.list(folder_ + "/a/b"), std::vector<std::string>{"x.csv"});
    EXPECT_THROW(client.mkdir(folder_ + "/a"), Error);  // exists: a plain MKD reports it
}

TEST_F(LiveClientTest, ManyOperationsReuseTheConnection) {
    FtpsClient client(vsftpd_settings());
    for (int i = 0; i < 20; ++i) client.put(folder_ + "/f" + std::to_string(i), local_);
    EXPECT_EQ(client.list(folder_).size(), 20u);
}

TEST_F(LiveClientTest, AWrongCaIsRefused) {
    auto settings = vsftpd_settings();
    settings.ca_file = env("SIGHTLINE_VSFTPD_OTHER_CA");
    FtpsClient client(settings);
    try {
        client.put(folder_ + "/x.csv", local_);
        FAIL() << "uploaded to a server whose certificate does not verify";
    } catch (const Error& e) {
        EXPECT_FALSE(e.transient()) << e.what();
    }
    EXPECT_FALSE(std::filesystem::exists(folder_ + "/x.csv"));
}

TEST_F(LiveClientTest, TheHostNameIsChecked) {
    // The certificate names 127.0.0.1 only.
    auto settings = vsftpd_settings();
    settings.host = "localhost";
    {
        FtpsClient client(settings);
        EXPECT_THROW(client.list(folder_), Error);
    }
    settings.verify_host = false;
    FtpsClient client(settings);
    EXPECT_NO_THROW(client.list(folder_));
}

TEST_F(LiveClientTest, AWrongPasswordIsRefusedForGood) {
    auto settings = vsftpd_settings();
    settings.password = "wrong-password";
    FtpsClient client(settings);
    try {
        client.put(folder_ + "/x.csv", local_);
        FAIL() << "logged in with a wrong password";
    } catch (const Error& e) {
        EXPECT_FALSE(e.transient()) << e.what();
        EXPECT_EQ(std::string(e.what()).find("wrong-password"), std::string::npos);
    }
}

TEST_F(LiveClientTest, ARefusedConnectionIsTransient) {
    auto settings = vsftpd_settings();
    settings.port = 1;  // nothing listens there
    FtpsClient client(settings);
    try {
        client.list(folder_);
        FAIL();
    } catch (const Error& e) {
        EXPECT_TRUE(e.transient()) << e.what();
    }
}

TEST_F(LiveClientTest, HashIsUnknownToVsftpd) {
    FtpsClient client(vsftpd_settings());
    client.put(folder_ + "/x.csv", local_);
    try {
        client.hash(folder_ + "/x.csv");
        FAIL();
    } catch (const Error& e) {
        EXPECT_FALSE(e.transient()) << e.what();  // 500 Unknown command
    }
}

}  // namespace

namespace {

// Run by the ctest relay_ftps_live_client_cert, whose vsftpd requires a client certificate.
class LiveClientCertTest : public LiveClientTest {
protected:
    void SetUp() override {
        if (env("SIGHTLINE_VSFTPD_REQUIRE_CLIENT_CERT") != "1") {
            GTEST_SKIP() << "needs a vsftpd started with SIGHTLINE_VSFTPD_REQUIRE_CLIENT_CERT=1";
        }
        LiveClientTest::SetUp();
    }
};

TEST_F(LiveClientCertTest, OnlyWithTheClientCertificate) {
    {
        FtpsClient without(vsftpd_settings());
        EXPECT_THROW(without.list(folder_), Error);
    }
    auto settings = vsftpd_settings();
    settings.client_certificate = env("SIGHTLINE_VSFTPD_CLIENT_CERT");
    settings.client_key = env("SIGHTLINE_VSFTPD_CLIENT_KEY");
    FtpsClient with(settings);
    with.put(folder_ + "/a.csv", local_);
    with.put(folder_ + "/b.csv", local_);  // data connections of one control connection
    EXPECT_EQ(with.list(folder_), (std::vector<std::string>{"a.csv", "b.csv"}));
}

}  // namespace
