// The audit log: audited events only, one JSON object per line with its kind, secrets and
// customer ids never written, rotation by size across writers, fsyncs batched on the clock.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <vector>

#include "sightline/core/audit_log.hpp"
#include "sightline/core/event_log.hpp"

namespace fs = std::filesystem;
using sightline::core::AuditLog;
using sightline::core::AuditSettings;
using sightline::core::EventLog;
using sightline::plugin::LogFields;
using sightline::plugin::LogLevel;

namespace {

class AuditLogTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("sightline-audit-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        path_ = (dir_ / "audit" / "audit.jsonl").string();
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::vector<nlohmann::json> lines(const std::string& path) const {
        std::vector<nlohmann::json> out;
        std::ifstream in(path);
        std::string line;
        while (std::getline(in, line)) out.push_back(nlohmann::json::parse(line));
        return out;
    }
    std::vector<nlohmann::json> all_lines() const {
        std::vector<nlohmann::json> out;
        for (const auto& entry : fs::directory_iterator(dir_ / "audit")) {
            const std::string name = entry.path().filename().string();
            if (name.rfind("audit.jsonl", 0) != 0) continue;
            for (auto& j : lines(entry.path().string())) out.push_back(std::move(j));
        }
        return out;
    }

    fs::path dir_;
    std::string path_;
    int64_t now_ = 1'790'000'000'000'000;
    sightline::core::Clock clock_ = [this] { return now_; };
};

struct Case {
    const char* event;
    const char* kind;
    LogFields fields;
};

TEST_F(AuditLogTest, EachKindWithItsFields) {
    const std::vector<Case> cases = {
        {"intake_ftps.upload",
         "upload",
         {{"tenant", "demo"},
          {"account", "demo"},
          {"peer", "10.0.0.7"},
          {"file", "s.csv"},
          {"bytes", "120"}}},
        {"load.finished",
         "load",
         {{"tenant", "demo"},
          {"file", "s.csv"},
          {"result", "loaded"},
          {"rows", "3"},
          {"bytes", "120"},
          {"sha256", std::string(64, 'a')},
          {"duration_ms", "12"}}},
        {"load.refused",
         "load",
         {{"tenant", "demo"}, {"file", "b.csv"}, {"result", "refused"}, {"reason", "1 error"}}},
        {"delete.done",
         "deletion",
         {{"tenant", "demo"},
          {"operator", "ops"},
          {"reason", "erasure request"},
          {"lines", "2"},
          {"customers", "1"}}},
        {"restore.finished", "restore", {{"tenant", "demo"}, {"rows", "3"}}},
        {"segment.changed",
         "segment_change",
         {{"tenant", "demo"}, {"segment", "vip"}, {"operator", "ops"}}},
        {"segment.evaluated",
         "segment_evaluation",
         {{"tenant", "demo"}, {"segment", "vip"}, {"customers", "42"}}},
        {"report.served", "report_access", {{"tenant", "demo"}, {"report", "revenue"}}},
        {"report.refused", "report_access", {{"peer", "10.9.9.9"}, {"reason", "no certificate"}}},
        {"intake_ftps.login_failed", "login_failure", {{"user", "mallory"}, {"peer", "1.2.3.4"}}},
        {"console.login_failed", "login_failure", {{"operator", "x"}}},
        {"intake_ftps.banned", "ban", {{"peer", "1.2.3.4"}, {"seconds", "600"}}},
        {"operator.disabled", "operator", {{"operator", "bob"}}},
        {"console.login", "operator", {{"operator", "alice"}}},
    };
    {
        AuditLog audit(AuditSettings{}, path_, clock_);
        for (const auto& c : cases) audit.on_event(now_, LogLevel::info, c.event, c.fields);
        audit.on_event(now_, LogLevel::info, "load.started", {{"tenant", "demo"}});
        audit.on_event(now_, LogLevel::info, "api.request", {{"route", "/x"}});
    }
    const auto got = lines(path_);
    ASSERT_EQ(got.size(), cases.size()) << "events outside the catalogue are not audited";
    for (size_t i = 0; i < cases.size(); ++i) {
        SCOPED_TRACE(cases[i].event);
        EXPECT_EQ(got[i]["kind"], cases[i].kind);
        EXPECT_EQ(got[i]["event"], cases[i].event);
        EXPECT_EQ(got[i]["ts"], "2026-09-21T14:13:20.000000Z");
        for (const auto& [k, v] : cases[i].fields) {
            if (k == "customers") continue;
            EXPECT_EQ(got[i][k], v) << k;
        }
        EXPECT_FALSE(got[i].contains("customers"));
    }
    EXPECT_EQ(got[6]["customer_count"], "42") << "a segment's size is a count, kept";
    EXPECT_EQ(got[3]["customer_count"], "1");
}

TEST_F(AuditLogTest, SecretsAndCustomerIdsAreNeverWritten) {
    {
        AuditLog audit(AuditSettings{}, path_, clock_);
        audit.on_event(now_, LogLevel::info, "intake_ftps.login_failed",
                       {{"user", "u"},
                        {"password", "hunter2"},
                        {"api_token", "tok-123"},
                        {"Authorization", "Bearer tok-123"},
                        {"client_secret", "s3"},
                        {"private_key", "k"},
                        {"cookie", "c"}});
        audit.on_event(now_, LogLevel::info, "load.refused",
                       {{"tenant", "demo"}, {"customer", "987654"}, {"customers", "1,2,3"}});
        audit.on_event(now_, LogLevel::info, "delete.done", {{"customers", "1,2"}});
    }
    std::ifstream in(path_);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const char* secret : {"hunter2", "tok-123", "s3\"", "987654", "1,2,3", "1,2"})
        EXPECT_EQ(text.find(secret), std::string::npos) << secret;
    EXPECT_NE(text.find("\"user\":\"u\""), std::string::npos);
    EXPECT_TRUE(AuditLog::forbidden_field("db_password"));
    EXPECT_TRUE(AuditLog::forbidden_field("customer"));
    EXPECT_FALSE(AuditLog::forbidden_field("customer_count"));
    EXPECT_FALSE(AuditLog::forbidden_field("tenant"));
}

TEST_F(AuditLogTest, RotatesBySizeKeepingN) {
    AuditSettings settings;
    settings.max_bytes = 600;
    settings.keep = 3;
    {
        AuditLog audit(settings, path_, clock_);
        for (int i = 0; i < 60; ++i)
            audit.on_event(now_, LogLevel::info, "segment.changed",
                           {{"tenant", "demo"}, {"segment", "s" + std::to_string(i)}});
    }
    EXPECT_TRUE(fs::exists(path_ + ".1"));
    EXPECT_TRUE(fs::exists(path_ + ".3"));
    EXPECT_FALSE(fs::exists(path_ + ".4")) << "keep: 3";
    for (const char* suffix : {"", ".1", ".2", ".3"})
        EXPECT_LE(fs::file_size(path_ + suffix), 600u) << suffix;
    // The newest lines are in the file itself, the oldest kept ones in .3.
    const auto current = lines(path_);
    ASSERT_FALSE(current.empty());
    EXPECT_EQ(current.back()["segment"], "s59");
}

TEST_F(AuditLogTest, ConcurrentWritersLoseNoLineAndSplitNone) {
    AuditSettings settings;
    settings.max_bytes = 4096;  // rotations while both write
    settings.keep = 1000;
    constexpr int kPerWriter = 300;
    // Two processes (as `serve` and a CLI command), each with two threads.
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    const std::string who = child == 0 ? "child" : "parent";
    {
        AuditLog audit(settings, path_, clock_);
        std::vector<std::thread> threads;
        for (int t = 0; t < 2; ++t)
            threads.emplace_back([&, t] {
                for (int i = 0; i < kPerWriter; ++i)
                    audit.on_event(
                        now_, LogLevel::info, "segment.changed",
                        {{"tenant", "demo"},
                         {"segment", who + "-" + std::to_string(t) + "-" + std::to_string(i)}});
            });
        for (auto& th : threads) th.join();
    }
    if (child == 0) ::_exit(0);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    std::set<std::string> seen;
    for (const auto& j : all_lines()) seen.insert(j["segment"].get<std::string>());
    EXPECT_EQ(seen.size(), 4u * kPerWriter);
}

TEST_F(AuditLogTest, FsyncsInBatchesOnTheClock) {
    AuditSettings settings;
    settings.fsync_interval_ms = 1000;
    AuditLog audit(settings, path_, clock_);
    for (int i = 0; i < 10; ++i)
        audit.on_event(now_, LogLevel::info, "segment.changed", {{"tenant", "demo"}});
    audit.sync_if_due();
    EXPECT_EQ(audit.syncs(), 0u) << "not yet due";
    now_ += 999'000;
    audit.sync_if_due();
    EXPECT_EQ(audit.syncs(), 0u);
    now_ += 1'000;
    audit.sync_if_due();
    EXPECT_EQ(audit.syncs(), 1u) << "one fsync for ten lines";
    audit.sync_if_due();
    EXPECT_EQ(audit.syncs(), 1u) << "nothing new";
    audit.on_event(now_, LogLevel::info, "segment.changed", {{"tenant", "demo"}});
    audit.sync();
    EXPECT_EQ(audit.syncs(), 2u);
}

TEST_F(AuditLogTest, ReopensWhenAnotherProcessRotated) {
    AuditLog audit(AuditSettings{}, path_, clock_);
    audit.on_event(now_, LogLevel::info, "segment.changed", {{"segment", "before"}});
    fs::rename(path_, path_ + ".1");
    audit.on_event(now_, LogLevel::info, "segment.changed", {{"segment", "after"}});
    const auto current = lines(path_);
    ASSERT_EQ(current.size(), 1u);
    EXPECT_EQ(current[0]["segment"], "after");
}

TEST_F(AuditLogTest, SeesEventsTheLevelFilterDrops) {
    auto audit = std::make_shared<AuditLog>(AuditSettings{}, path_, clock_);
    {
        EventLog log("json", "error", (dir_ / "events.log").string());
        log.add_sink(audit);
        log.event(LogLevel::info, "segment.changed", {{"tenant", "demo"}});
        log.remove_sink(audit.get());
        log.event(LogLevel::info, "segment.changed", {{"tenant", "gone"}});
    }
    const auto got = lines(path_);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0]["tenant"], "demo");
}

}  // namespace
