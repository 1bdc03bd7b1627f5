// The built module, loaded as the host loads it, against a port where nothing listens: every
// failure is a retry, followed by a backoff during which nothing is attempted (the clock is the
// fake host's).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sightline/plugin/transport.hpp>
#include <sightline/testing/plugin_testing.hpp>

namespace {

using sightline::plugin::Transport;
using sightline::plugin::Upload;
using sightline::plugin::UploadOutcome;
using sightline::testing::FakeHost;
using sightline::testing::load_plugin_module;
using sightline::testing::TempDir;

// A loopback port that was free a moment ago: connecting to it is refused.
int closed_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

class RelayModuleTest : public ::testing::Test {
protected:
    void SetUp() override {
        ::setenv("RELAY_FTPS_TEST_PASSWORD", "s3cret", 1);
        const auto& descriptor = load_plugin_module(RELAY_FTPS_PLUGIN_PATH);
        ASSERT_STREQ(descriptor.id, "relay-ftps");
        ASSERT_STREQ(descriptor.kind, "transport");
        sightline::plugin::CreateContext context;
        context.host = &host_;
        context.instance_name = "relay";
        context.config_json = R"({"host": "127.0.0.1", "port": )" + std::to_string(closed_port()) +
                              R"(, "user": "relay", "password_env": "RELAY_FTPS_TEST_PASSWORD",
                                 "ca_file": "/nonexistent/ca.pem", "backoff_initial_seconds": 2,
                                 "backoff_max_seconds": 5, "connect_timeout_seconds": 2})";
        plugin_ = descriptor.create(context);
        relay_ = dynamic_cast<Transport*>(plugin_.get());
        ASSERT_NE(relay_, nullptr);
        ASSERT_NE(relay_->relay(), nullptr);
        file_ = dir_.path() + "/sales.csv";
        std::ofstream(file_) << "order,timestamp\n";
    }
    void TearDown() override { plugin_.reset(); }

    Upload upload(const std::string& name = "sales.csv") {
        return Upload{"acme", file_, name, false, "acme-ftp", "192.0.2.1"};
    }
    size_t attempts() const { return host_.logs("relay_ftps.retry").size(); }

    TempDir dir_;
    FakeHost host_;
    std::unique_ptr<sightline::plugin::Plugin> plugin_;
    Transport* relay_ = nullptr;
    std::string file_;
};

TEST_F(RelayModuleTest, RefusedConnectionsRetryThenBackOffExponentially) {
    auto& sink = *relay_->relay();
    auto r = sink.submit(upload());
    EXPECT_EQ(r.outcome, UploadOutcome::retry);
    EXPECT_EQ(attempts(), 1u);

    // Within the 2 s backoff: an immediate retry, no connection attempt.
    r = sink.submit(upload());
    EXPECT_EQ(r.outcome, UploadOutcome::retry);
    EXPECT_NE(r.message.find("next attempt in 2 s"), std::string::npos) << r.message;
    EXPECT_EQ(attempts(), 1u);

    host_.advance_us(2'000'000);
    EXPECT_EQ(sink.submit(upload()).outcome, UploadOutcome::retry);
    EXPECT_EQ(attempts(), 2u);  // tried again; now 4 s

    host_.advance_us(3'999'999);
    EXPECT_EQ(sink.submit(upload()).outcome, UploadOutcome::retry);
    EXPECT_EQ(attempts(), 2u);
    host_.advance_us(1);
    EXPECT_EQ(sink.submit(upload()).outcome, UploadOutcome::retry);
    EXPECT_EQ(attempts(), 3u);  // now capped at 5 s

    host_.advance_us(5'000'000);
    sink.submit(upload());
    EXPECT_EQ(attempts(), 4u);
    EXPECT_EQ(host_.logs("relay_ftps.retry").back().fields.at("next_attempt_in_ms"), "5000");
    for (const auto& entry : host_.logs()) {
        for (const auto& field : entry.fields) {
            EXPECT_EQ(field.second.find("s3cret"), std::string::npos) << entry.event;
        }
    }
}

TEST_F(RelayModuleTest, UnsafeNamesAreRefusedWithoutConnecting) {
    auto& sink = *relay_->relay();
    for (const char* name : {"a\r\nDELE x", "..", ".hidden", "a/b", "a\\b"}) {
        const auto r = sink.submit(upload(name));
        EXPECT_EQ(r.outcome, UploadOutcome::refused) << name;
    }
    EXPECT_EQ(attempts(), 0u);
}

TEST_F(RelayModuleTest, AnUnreadableLocalFileIsRetryWithoutBackoff) {
    auto& sink = *relay_->relay();
    Upload missing = upload();
    missing.path = dir_.path() + "/gone.csv";
    const auto r = sink.submit(missing);
    EXPECT_EQ(r.outcome, UploadOutcome::retry);
    EXPECT_NE(r.message.find("cannot read"), std::string::npos) << r.message;
    sink.submit(upload());  // not held back: it tries the server (and fails)
    EXPECT_EQ(attempts(), 2u);
    EXPECT_EQ(host_.logs("relay_ftps.retry").back().fields.at("next_attempt_in_ms"), "2000");
}

TEST_F(RelayModuleTest, AfterStopEverythingIsRetry) {
    relay_->start(*relay_->relay());
    relay_->stop();
    EXPECT_EQ(relay_->relay()->submit(upload()).outcome, UploadOutcome::retry);
    EXPECT_EQ(attempts(), 0u);
}

}  // namespace
