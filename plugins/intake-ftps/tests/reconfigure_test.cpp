// Server::reconfigure against a running server and real FTPS sessions (libcurl): what a reload
// applies live, what it leaves to sessions in progress, and what it refuses.
#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "config.hpp"
#include "ftps_test_client.hpp"
#include "server.hpp"
#include "sightline/ftps/password.hpp"
#include "sightline/ftps/tls_policy.hpp"
#include "sightline/testing/plugin_testing.hpp"
#include "status_note.hpp"

namespace sightline::intake_ftps {
namespace {

using nlohmann::json;
using testing::FtpsTestClient;
constexpr int64_t kHour = 3600LL * 1'000'000;

struct Submitted {
    plugin::Upload upload;
    uintmax_t bytes = 0;  // measured at submission: the queue removes the file afterwards
};

// Records submissions; tests wait for a name to arrive.
class WaitingSink : public plugin::UploadSink {
public:
    plugin::UploadResult submit(const plugin::Upload& upload) override {
        const uintmax_t bytes = std::filesystem::file_size(upload.path);
        {
            std::lock_guard<std::mutex> lock(mutex_);
            uploads_.push_back({upload, bytes});
        }
        changed_.notify_all();
        plugin::UploadResult result;
        result.outcome = plugin::UploadOutcome::loaded;
        result.message = "loaded";
        return result;
    }
    // The submitted upload named name (tenant and bytes checked by the caller), or nullopt.
    std::optional<Submitted> wait_for(const std::string& name) {
        std::unique_lock<std::mutex> lock(mutex_);
        std::optional<Submitted> found;
        changed_.wait_for(lock, std::chrono::seconds(10), [&] {
            for (const auto& s : uploads_)
                if (s.upload.name == name) found = s;
            return found.has_value();
        });
        return found;
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<Submitted> uploads_;
};

std::string cheap_hash(const std::string& password) {
    return ftps::hash_password(password, ftps::ScryptCost{10, 8, 1});
}

json account(const std::string& user, const std::string& tenant, const std::string& password) {
    return {{"user", user}, {"tenant", tenant}, {"password", cheap_hash(password)}};
}

class ReconfigureTest : public ::testing::Test {
protected:
    ReconfigureTest() : host_({"acme", "globex"}, 1'700'000'000'000'000) {
        cert1_ = dir_.path() + "/cert1.pem";
        ftps::ensure_self_signed(cert1_, dir_.path() + "/key1.pem", {"127.0.0.1", "localhost"});
        // Other tests on this machine use passive ports too: a random range, skipped when busy.
        const int base = 30000 + static_cast<int>(std::random_device{}() % 250) * 100;
        config_ = {{"listen", "127.0.0.1:0"},
                   {"passive_ports", std::to_string(base) + "-" + std::to_string(base + 99)},
                   {"certificate", cert1_},
                   {"private_key", dir_.path() + "/key1.pem"},
                   {"landing", dir_.path() + "/landing"},
                   {"accounts", json::array({account("alice", "acme", "alice-old"),
                                             account("bob", "globex", "bob-pass")})},
                   {"limits", {{"login_delay_ms", 0}, {"min_transfer_rate_bytes", 0}}}};
        server_ = std::make_unique<Server>(parse_config(config_.dump()), host_);
        server_->start(sink_);
    }
    ~ReconfigureTest() override { server_->stop(); }

    bool reload(const json& config) { return server_->reconfigure(config.dump()); }
    std::unique_ptr<FtpsTestClient> client(const std::string& user, const std::string& password,
                                           const std::string& ca = "") {
        return std::make_unique<FtpsTestClient>(server_->port(), user, password,
                                                ca.empty() ? cert1_ : ca);
    }
    size_t count(const std::string& event) const { return host_.logs(event).size(); }

    sightline::testing::TempDir dir_;
    sightline::testing::FakeHost host_;
    WaitingSink sink_;
    std::string cert1_;
    json config_;
    std::unique_ptr<Server> server_;
};

TEST_F(ReconfigureTest, UploadInProgressCompletesAndNewPasswordsApplyAfterIt) {
    auto alice = client("alice", "alice-old");
    std::promise<void> in_progress;
    std::promise<void> resume;
    std::shared_future<void> resumed = resume.get_future().share();
    CURLcode code = CURLE_OK;
    const std::string body(256 * 1024, 'x');
    std::thread upload([&] {
        code = alice->put("in-flight.csv", body, [&](size_t chunk) {
            if (chunk != 1) return;
            in_progress.set_value();  // the first chunk is on its way: STOR is running
            resumed.wait();
        });
    });
    ASSERT_EQ(in_progress.get_future().wait_for(std::chrono::seconds(10)),
              std::future_status::ready);
    json next = config_;
    next["accounts"][0] = account("alice", "acme", "alice-new");
    const bool applied = reload(next);
    resume.set_value();
    upload.join();
    ASSERT_TRUE(applied);

    EXPECT_EQ(code, CURLE_OK);
    EXPECT_EQ(alice->last_response(), 226);
    const auto submitted = sink_.wait_for("in-flight.csv");
    ASSERT_TRUE(submitted.has_value());
    EXPECT_EQ(submitted->upload.tenant, "acme");
    EXPECT_EQ(submitted->bytes, body.size());

    // The session logged in with a password that is gone: it ends at its next command.
    EXPECT_NE(alice->put("after.csv", "a\n"), CURLE_OK);
    EXPECT_EQ(count("intake_ftps.account_changed"), 1u);
    EXPECT_EQ(client("alice", "alice-old")->put("old.csv", "a\n"), CURLE_LOGIN_DENIED);
    EXPECT_EQ(client("alice", "alice-new")->put("new.csv", "a\n"), CURLE_OK);
    EXPECT_TRUE(sink_.wait_for("new.csv").has_value());
    EXPECT_EQ(count("intake_ftps.reconfigured"), 1u);
}

TEST_F(ReconfigureTest, RemovedAccountsEndAndNewAccountsOfNewTenantsLogIn) {
    auto bob = client("bob", "bob-pass");
    ASSERT_EQ(bob->put("first.csv", "b\n"), CURLE_OK);

    host_.set_tenants({"acme", "globex", "initech"});
    json next = config_;
    next["accounts"] = json::array({config_["accounts"][0], account("dave", "initech", "dave")});
    ASSERT_TRUE(reload(next));

    EXPECT_NE(bob->put("second.csv", "b\n"), CURLE_OK);
    EXPECT_EQ(client("bob", "bob-pass")->put("again.csv", "b\n"), CURLE_LOGIN_DENIED);
    EXPECT_EQ(client("dave", "dave")->put("hello.csv", "d\n"), CURLE_OK);
    const auto submitted = sink_.wait_for("hello.csv");
    ASSERT_TRUE(submitted.has_value());
    EXPECT_EQ(submitted->upload.tenant, "initech");
    EXPECT_EQ(client("alice", "alice-old")->put("still.csv", "a\n"), CURLE_OK);
}

TEST_F(ReconfigureTest, NewRetentionAppliesToTheNextSweep) {
    // A status note five hours old (host clock): kept under 24 hours, swept under 2.
    const std::string note = dir_.path() + "/landing/acme/status/old-note.txt";
    std::ofstream(note) << "old\n";
    {
        const int fd = ::open(note.c_str(), O_RDONLY | O_CLOEXEC);
        ASSERT_GE(fd, 0);
        stamp_mtime(fd, host_.now_us() - 5 * kHour);
        ::close(fd);
    }
    json keep = config_;
    keep["retention_hours"] = 24;
    ASSERT_TRUE(reload(keep));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_TRUE(std::filesystem::exists(note));

    json next = config_;
    next["retention_hours"] = 2;
    ASSERT_TRUE(reload(next));
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::filesystem::exists(note) && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_FALSE(std::filesystem::exists(note));
}

TEST_F(ReconfigureTest, NewCertificateForNewConnectionsWhileOldSessionsKeepTheirs) {
    auto alice = client("alice", "alice-old");
    ASSERT_EQ(alice->put("before.csv", "a\n"), CURLE_OK);
    const size_t logins = count("intake_ftps.login");

    const std::string cert2 = dir_.path() + "/cert2.pem";
    ftps::ensure_self_signed(cert2, dir_.path() + "/key2.pem", {"127.0.0.1", "localhost"});
    json next = config_;
    next["certificate"] = cert2;
    next["private_key"] = dir_.path() + "/key2.pem";
    ASSERT_TRUE(reload(next));

    // The old control connection, and a data connection that resumes its TLS session from the
    // old context: no new login.
    EXPECT_EQ(alice->put("after.csv", "a\n"), CURLE_OK);
    EXPECT_EQ(count("intake_ftps.login"), logins);
    EXPECT_EQ(count("intake_ftps.data_session_refused"), 0u);
    EXPECT_TRUE(sink_.wait_for("after.csv").has_value());
    // New connections are served the new certificate.
    EXPECT_EQ(client("alice", "alice-old", cert1_)->put("old-ca.csv", "a\n"),
              CURLE_PEER_FAILED_VERIFICATION);
    EXPECT_EQ(client("alice", "alice-old", cert2)->put("new-ca.csv", "a\n"), CURLE_OK);
}

TEST_F(ReconfigureTest, RestartOnlyKeysReturnFalseAndChangeNothing) {
    json next = config_;
    next["accounts"][0] = account("alice", "acme", "alice-new");
    next["listen"] = "127.0.0.1:1";
    EXPECT_FALSE(reload(next));
    next["listen"] = config_["listen"];
    next["passive_ports"] = "40000-40001";
    EXPECT_FALSE(reload(next));
    next["passive_ports"] = config_["passive_ports"];
    next["landing"] = dir_.path() + "/elsewhere";
    EXPECT_FALSE(reload(next));

    const auto refused = host_.logs("intake_ftps.restart_needed");
    ASSERT_EQ(refused.size(), 3u);
    EXPECT_EQ(refused[0].fields.at("keys"), "listen");
    EXPECT_EQ(refused[1].fields.at("keys"), "passive_ports");
    EXPECT_EQ(refused[2].fields.at("keys"), "landing");
    EXPECT_EQ(count("intake_ftps.reconfigured"), 0u);
    EXPECT_EQ(client("alice", "alice-old")->put("old.csv", "a\n"), CURLE_OK);
}

TEST_F(ReconfigureTest, InvalidConfigThrowsAndTheOldStaysInForce) {
    auto alice = client("alice", "alice-old");
    ASSERT_EQ(alice->put("before.csv", "a\n"), CURLE_OK);

    json bad_hash = config_;
    bad_hash["accounts"][0]["password"] = "plain-text";
    EXPECT_THROW(reload(bad_hash), plugin::Error);
    json missing_cert = config_;
    missing_cert["accounts"][0] = account("alice", "acme", "alice-new");
    missing_cert["certificate"] = dir_.path() + "/missing.pem";
    EXPECT_THROW(reload(missing_cert), plugin::Error);
    json unknown_tenant = config_;
    unknown_tenant["accounts"][1]["tenant"] = "nobody";
    EXPECT_THROW(reload(unknown_tenant), plugin::Error);
    EXPECT_EQ(count("intake_ftps.reconfigured"), 0u);

    EXPECT_EQ(alice->put("same-session.csv", "a\n"), CURLE_OK);
    EXPECT_EQ(client("alice", "alice-old")->put("new-session.csv", "a\n"), CURLE_OK);
    EXPECT_EQ(client("bob", "bob-pass")->put("bob.csv", "b\n"), CURLE_OK);
    // An unchanged config is applied (as every SIGHUP hands it over again).
    EXPECT_TRUE(reload(config_));
    EXPECT_EQ(alice->put("unchanged.csv", "a\n"), CURLE_OK);
}

}  // namespace
}  // namespace sightline::intake_ftps
