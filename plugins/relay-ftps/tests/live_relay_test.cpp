// The relay module delivering to vsftpd. vsftpd has no HASH and answers a plain "226 Transfer
// complete.", so these tests cover delivery, folders and the verdict of a plain server
// (verify_hash off); the load server's verdicts are parsed in replies_test.cpp.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <sightline/plugin/transport.hpp>
#include <sightline/testing/plugin_testing.hpp>

#include "live_support.hpp"

namespace {

using namespace sightline::relay_ftps::testing;
using sightline::plugin::Transport;
using sightline::plugin::Upload;
using sightline::plugin::UploadOutcome;
using sightline::testing::FakeHost;
using sightline::testing::load_plugin_module;
using sightline::testing::TempDir;

class LiveRelayTest : public ::testing::Test {
protected:
    void SetUp() override {
        SKIP_WITHOUT_VSFTPD();
        base_ = unique_folder("relay");
        file_ = dir_.path() + "/sales.csv";
        std::ofstream(file_) << content_;
    }
    void TearDown() override { plugin_.reset(); }

    Transport& make(const std::string& extra) {
        const auto& descriptor = load_plugin_module(RELAY_FTPS_PLUGIN_PATH);
        sightline::plugin::CreateContext context;
        context.host = &host_;
        context.instance_name = "relay";
        context.config_json = R"({"host": "127.0.0.1", "port": )" + env("SIGHTLINE_VSFTPD_PORT") +
                              R"(, "user": ")" + env("SIGHTLINE_VSFTPD_USER") +
                              R"(", "password_file": ")" + env("SIGHTLINE_VSFTPD_PASSWORD_FILE") +
                              R"(", "base_dir": ")" + base_ +
                              R"(", "connect_timeout_seconds": 5, "result_timeout_seconds": 20)" +
                              (extra.find("ca_file") == std::string::npos
                                   ? R"(, "ca_file": ")" + env("SIGHTLINE_VSFTPD_CA") + R"(")"
                                   : std::string()) +
                              (extra.empty() ? "" : ", " + extra) + "}";
        plugin_ = descriptor.create(context);
        auto* relay = dynamic_cast<Transport*>(plugin_.get());
        relay->start(*relay->relay());
        return *relay;
    }

    TempDir dir_;
    FakeHost host_;
    std::unique_ptr<sightline::plugin::Plugin> plugin_;
    std::string base_, file_;
    std::string content_ = "order,timestamp,customer,item,price\nA1,2026-11-01,42,sku-1,19.99\n";
};

TEST_F(LiveRelayTest, DeliversIncrementalAndFullUploads) {
    auto& sink = *make(R"("verify_hash": false)").relay();
    auto r = sink.submit(Upload{"acme", file_, "sales 1.csv", false, "", ""});
    EXPECT_EQ(r.outcome, UploadOutcome::loaded) << r.message;
    EXPECT_EQ(r.message, "delivered to 127.0.0.1");
    EXPECT_EQ(read_file(base_ + "/acme/sales 1.csv"), content_);

    r = sink.submit(Upload{"acme", file_, "all.csv", true, "", ""});
    EXPECT_EQ(r.outcome, UploadOutcome::loaded) << r.message;
    EXPECT_EQ(read_file(base_ + "/acme/full/all.csv"), content_);

    const auto delivered = host_.logs("relay_ftps.delivered");
    ASSERT_EQ(delivered.size(), 2u);
    EXPECT_EQ(delivered[0].fields.at("bytes"), std::to_string(content_.size()));
    EXPECT_EQ(delivered[0].fields.at("sha256").size(), 64u);
    EXPECT_EQ(delivered[0].fields.at("outcome"), "loaded");
    for (const auto& entry : host_.logs()) {
        for (const auto& field : entry.fields) {
            EXPECT_EQ(field.second.find(env("SIGHTLINE_VSFTPD_PASSWORD")), std::string::npos);
        }
    }
}

TEST_F(LiveRelayTest, WithoutHashConfirmationItRetries) {
    // vsftpd does not know HASH: the delivery cannot be confirmed, so it is not reported done.
    auto& sink = *make("").relay();
    const auto r = sink.submit(Upload{"acme", file_, "x.csv", false, "", ""});
    EXPECT_EQ(r.outcome, UploadOutcome::retry);
    EXPECT_NE(r.message.find("not confirmed"), std::string::npos) << r.message;
}

TEST_F(LiveRelayTest, AWrongCaMeansRetryAndBackoff) {
    auto& sink =
        *make(R"("verify_hash": false, "ca_file": ")" + env("SIGHTLINE_VSFTPD_OTHER_CA") + R"(")")
             .relay();
    EXPECT_EQ(sink.submit(Upload{"acme", file_, "x.csv", false, "", ""}).outcome,
              UploadOutcome::retry);
    // Backing off: the second submission does not even connect.
    const auto r = sink.submit(Upload{"acme", file_, "x.csv", false, "", ""});
    EXPECT_EQ(r.outcome, UploadOutcome::retry);
    EXPECT_NE(r.message.find("next attempt"), std::string::npos) << r.message;
    EXPECT_EQ(host_.logs("relay_ftps.retry").size(), 1u);
    EXPECT_FALSE(std::ifstream(base_ + "/acme/x.csv").good());
}

TEST_F(LiveRelayTest, AWrongPasswordIsRetryWithoutLeakingIt) {
    ::setenv("RELAY_FTPS_LIVE_WRONG_PASSWORD", "not-the-password", 1);
    auto& sink = *make(R"("verify_hash": false, "password_file": null,
                          "password_env": "RELAY_FTPS_LIVE_WRONG_PASSWORD")")
                      .relay();
    const auto r = sink.submit(Upload{"acme", file_, "x.csv", false, "", ""});
    EXPECT_EQ(r.outcome, UploadOutcome::retry);
    EXPECT_NE(r.message.find("530"), std::string::npos) << r.message;
    EXPECT_EQ(r.message.find("not-the-password"), std::string::npos) << r.message;
    EXPECT_FALSE(std::ifstream(base_ + "/acme/x.csv").good());
}

}  // namespace
