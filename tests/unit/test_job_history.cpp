// The job history: events become jobs (a load's start and result one row), queries by tenant,
// kind, failure and time, segment sizes over time, two connections on one database.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "sightline/core/job_history.hpp"

namespace fs = std::filesystem;
using sightline::core::Job;
using sightline::core::JobHistory;
using sightline::core::JobQuery;
using sightline::plugin::LogLevel;

namespace {

class JobHistoryTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("sightline-jobs-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        path_ = JobHistory::path_in(dir_.string());
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
    std::string path_;
};

TEST_F(JobHistoryTest, LoadStartAndResultAreOneJob) {
    JobHistory jobs(path_);
    jobs.on_event(1000, LogLevel::info, "load.started",
                  {{"tenant", "demo"}, {"file", "a.csv"}, {"account", "ftp-demo"}});
    auto running = jobs.list({});
    ASSERT_EQ(running.size(), 1u);
    EXPECT_EQ(running[0].status, "running");
    EXPECT_EQ(running[0].finished_us, 0);
    jobs.on_event(5000, LogLevel::info, "load.finished",
                  {{"tenant", "demo"},
                   {"file", "a.csv"},
                   {"rows", "7"},
                   {"bytes", "300"},
                   {"duration_ms", "4"}});
    const auto done = jobs.list({});
    ASSERT_EQ(done.size(), 1u);
    EXPECT_EQ(done[0].kind, "load");
    EXPECT_EQ(done[0].status, "ok");
    EXPECT_EQ(done[0].started_us, 1000);
    EXPECT_EQ(done[0].finished_us, 5000);
    EXPECT_EQ(done[0].rows, 7u);
    EXPECT_EQ(done[0].bytes, 300u);
    EXPECT_EQ(done[0].operator_name, "ftp-demo");
    EXPECT_EQ(done[0].count, -1);
}

TEST_F(JobHistoryTest, RefusalsKeepTheirReasonAndFilterAsFailed) {
    JobHistory jobs(path_);
    jobs.on_event(1, LogLevel::info, "load.started", {{"tenant", "demo"}, {"file", "ok.csv"}});
    jobs.on_event(2, LogLevel::info, "load.finished", {{"tenant", "demo"}, {"file", "ok.csv"}});
    jobs.on_event(3, LogLevel::info, "load.started", {{"tenant", "demo"}, {"file", "bad.csv"}});
    jobs.on_event(4, LogLevel::warn, "load.refused",
                  {{"tenant", "demo"},
                   {"file", "bad.csv"},
                   {"reason", "2 format errors"},
                   {"first_error_line", "3"},
                   {"first_error_column", "5"},
                   {"first_error_column_name", "price"}});
    jobs.on_event(5, LogLevel::info, "load.duplicate", {{"tenant", "other"}, {"file", "ok.csv"}});
    jobs.on_event(6, LogLevel::error, "delete.failed",
                  {{"tenant", "other"}, {"reason", "gdpr"}, {"reason_failed", "db down"}});
    JobQuery failed;
    failed.failed_only = true;
    const auto bad = jobs.list(failed);
    ASSERT_EQ(bad.size(), 2u);
    EXPECT_EQ(bad[0].kind, "deletion");
    EXPECT_EQ(bad[1].status, "refused");
    EXPECT_EQ(bad[1].detail, "2 format errors; first at line 3 column 5 (price)");
    JobQuery demo;
    demo.tenant = "demo";
    EXPECT_EQ(jobs.list(demo).size(), 2u);
    JobQuery since;
    since.since_us = 5;
    EXPECT_EQ(jobs.list(since).size(), 2u);
    JobQuery kind;
    kind.kind = "load";
    kind.limit = 1;
    const auto newest = jobs.list(kind);
    ASSERT_EQ(newest.size(), 1u);
    EXPECT_EQ(newest[0].status, "duplicate");
}

TEST_F(JobHistoryTest, EveryJobKind) {
    JobHistory jobs(path_);
    jobs.on_event(1, LogLevel::info, "delete.done",
                  {{"tenant", "demo"}, {"operator", "ops"}, {"lines", "4"}, {"scope", "orders"}});
    jobs.on_event(2, LogLevel::info, "restore.started", {{"tenant", "demo"}, {"into", "target"}});
    jobs.on_event(3, LogLevel::info, "restore.finished",
                  {{"tenant", "demo"}, {"into", "target"}, {"rows", "9"}});
    jobs.on_event(4, LogLevel::info, "segment.changed",
                  {{"tenant", "demo"}, {"segment", "vip"}, {"change", "saved"}});
    jobs.on_event(
        5, LogLevel::info, "segment.evaluated",
        {{"tenant", "demo"}, {"segment", "vip"}, {"customers", "12"}, {"cached", "false"}});
    jobs.on_event(
        6, LogLevel::info, "segment.evaluated",
        {{"tenant", "demo"}, {"segment", "vip"}, {"customers", "12"}, {"cached", "true"}});
    jobs.on_event(7, LogLevel::info, "segments.backup", {{"tenant", "demo"}, {"name", "b.json"}});
    jobs.on_event(8, LogLevel::info, "report.served",
                  {{"tenant", "demo"}, {"report", "revenue"}, {"principal", "CN=bi"}});
    jobs.on_event(9, LogLevel::info, "api.request", {{"route", "/x"}});
    const auto all = jobs.list({});
    std::vector<std::string> kinds;
    for (auto it = all.rbegin(); it != all.rend(); ++it) kinds.push_back(it->kind);
    EXPECT_EQ(kinds, (std::vector<std::string>{"deletion", "restore", "segment_change",
                                               "segment_evaluation", "backup", "report"}));
    EXPECT_EQ(all[5].operator_name, "ops");
    EXPECT_EQ(all[5].rows, 4u);
    EXPECT_EQ(all[4].rows, 9u);
    EXPECT_EQ(all[4].status, "ok");
    EXPECT_EQ(all[2].count, 12);
    EXPECT_EQ(all[0].operator_name, "CN=bi");
}

TEST_F(JobHistoryTest, SegmentSizesOverTime) {
    JobHistory jobs(path_);
    for (int i = 0; i < 3; ++i)
        jobs.on_event(100 + i, LogLevel::info, "segment.evaluated",
                      {{"tenant", "demo"},
                       {"segment", "vip"},
                       {"customers", std::to_string(10 + i)},
                       {"cached", "false"}});
    jobs.on_event(200, LogLevel::info, "segment.evaluated",
                  {{"tenant", "demo"}, {"segment", "other"}, {"customers", "1"}});
    const auto sizes = jobs.segment_sizes("demo", "vip", 101);
    ASSERT_EQ(sizes.size(), 2u);
    EXPECT_EQ(sizes[0].at_us, 101);
    EXPECT_EQ(sizes[0].customers, 11);
    EXPECT_EQ(sizes[1].customers, 12);
}

TEST_F(JobHistoryTest, TwoConnectionsShareTheDatabase) {
    JobHistory writer(path_);
    JobHistory reader(path_);
    writer.on_event(1, LogLevel::info, "load.started", {{"tenant", "demo"}, {"file", "a.csv"}});
    reader.on_event(2, LogLevel::info, "load.finished", {{"tenant", "demo"}, {"file", "a.csv"}});
    const auto all = writer.list({});
    ASSERT_EQ(all.size(), 1u) << "the other connection finished the same job";
    EXPECT_EQ(all[0].status, "ok");
}

}  // namespace
