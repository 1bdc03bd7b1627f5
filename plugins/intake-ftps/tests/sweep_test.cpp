// The upload queue (outcomes, retries, order) and the retention sweep, with the host's clock
// moved by the test.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>
#include <mutex>

#include "config.hpp"
#include "landing.hpp"
#include "sightline/testing/plugin_testing.hpp"
#include "status_note.hpp"
#include "sweep.hpp"
#include "upload_queue.hpp"

namespace sightline::intake_ftps {
namespace {

constexpr int64_t kHour = 3600LL * 1'000'000;

class Sink : public plugin::UploadSink {
public:
    plugin::UploadResult submit(const plugin::Upload& upload) override {
        std::lock_guard<std::mutex> lock(mutex_);
        names.push_back(upload.name);
        plugin::UploadResult r;
        r.outcome = upload.name.find("retry") != std::string::npos ? plugin::UploadOutcome::retry
                                                                   : plugin::UploadOutcome::loaded;
        r.message = "loaded 1 lines";
        return r;
    }
    std::mutex mutex_;
    std::vector<std::string> names;
};

class QueueTest : public ::testing::Test {
protected:
    QueueTest()
        : host_({"acme", "globex"}, 1'700'000'000'000'000),
          landing_(dir_.path() + "/landing"),
          queue_(config_, landing_, host_),
          sweeper_(config_, landing_, queue_, host_) {
        config_.landing = landing_.root();
        landing_.prepare({"acme", "globex"});
    }
    std::string put(const std::string& tenant, Sub sub, const std::string& name,
                    int64_t age_us = 0) {
        const std::string path = landing_.path(tenant, sub, name);
        std::ofstream(path) << "x\n";
        Fd fd(::open(path.c_str(), O_RDONLY));
        stamp_mtime(fd.get(), host_.now_us() - age_us);
        return path;
    }
    plugin::Upload upload(const std::string& tenant, const std::string& name) {
        plugin::Upload u;
        u.tenant = tenant;
        u.name = name;
        u.path = put(tenant, Sub::root, name);
        return u;
    }
    std::vector<std::string> status_notes(const std::string& tenant) {
        Fd dir = landing_.open_dir(tenant, Sub::status);
        std::vector<std::string> out;
        for (const auto& e : Landing::list(dir.get())) out.push_back(e.name);
        return out;
    }

    sightline::testing::TempDir dir_;
    sightline::testing::FakeHost host_;
    Config config_;
    Landing landing_;
    UploadQueue queue_;
    Sweeper sweeper_;
    Sink sink_;
};

TEST_F(QueueTest, ProcessedUploadIsRemovedAndNoted) {
    const auto u = upload("acme", "a.csv");
    queue_.add(u);
    queue_.drain(sink_);
    EXPECT_EQ(sink_.names, (std::vector<std::string>{"a.csv"}));
    EXPECT_NE(::access(u.path.c_str(), F_OK), 0);
    EXPECT_EQ(status_notes("acme"),
              (std::vector<std::string>{"20231114T221320Z-a.csv.loaded.txt"}));
    queue_.drain(sink_);
    EXPECT_EQ(sink_.names.size(), 1u) << "nothing is submitted twice";
}

TEST_F(QueueTest, RetryKeepsTheFileAndHoldsTheTenantsLaterUploadsInOrder) {
    queue_.add(upload("acme", "1-retry.csv"));
    queue_.add(upload("acme", "2.csv"));
    queue_.add(upload("globex", "3.csv"));
    queue_.drain(sink_);
    // acme's second upload waits behind the first; globex is not held up.
    EXPECT_EQ(sink_.names, (std::vector<std::string>{"1-retry.csv", "3.csv"}));
    EXPECT_TRUE(queue_.queued(landing_.path("acme", Sub::root, "1-retry.csv")));
    EXPECT_EQ(host_.logs("intake_ftps.retry").size(), 1u);
}

TEST_F(QueueTest, ScanFindsUploadsLeftFromBeforeOldestFirst) {
    put("acme", Sub::root, "new.csv", 1 * kHour);
    put("acme", Sub::full, "old.csv", 2 * kHour);
    queue_.scan({"acme", "globex"});
    EXPECT_EQ(queue_.size(), 2u);
    queue_.drain(sink_);
    EXPECT_EQ(sink_.names, (std::vector<std::string>{"old.csv", "new.csv"}));
}

TEST_F(QueueTest, SweepRemovesOldFilesKeepsYoungOnesAndNotesExpiredUploads) {
    const auto old_upload = put("acme", Sub::root, "old.csv", 25 * kHour);
    const auto old_full = put("acme", Sub::full, "oldfull.csv", 25 * kHour);
    const auto old_note = put("acme", Sub::status, "x.loaded.txt", 25 * kHour);
    const auto stale_partial = put("acme", Sub::partial, "abcdef", 25 * kHour);
    const auto young = put("acme", Sub::root, "young.csv", 23 * kHour);
    queue_.scan({"acme"});

    const SweepReport report = sweeper_.run();
    EXPECT_EQ(report.removed, 4);
    EXPECT_EQ(report.expired, 2);
    for (const auto& gone : {old_upload, old_full, old_note, stale_partial}) {
        EXPECT_NE(::access(gone.c_str(), F_OK), 0) << gone;
    }
    EXPECT_EQ(::access(young.c_str(), F_OK), 0);
    EXPECT_EQ(host_.logs("intake_ftps.expired").size(), 2u);
    EXPECT_EQ(host_.logs("intake_ftps.expired")[0].level, plugin::LogLevel::error);
    EXPECT_EQ(host_.logs("intake_ftps.swept").size(), 4u);
    EXPECT_EQ(sweeper_.expired_total(), 2);
    const auto notes = status_notes("acme");
    ASSERT_EQ(notes.size(), 2u);
    EXPECT_NE(notes[0].find("old.csv.expired.txt"), std::string::npos);
    // The expired uploads left the queue: only the young one is submitted.
    queue_.drain(sink_);
    EXPECT_EQ(sink_.names, (std::vector<std::string>{"young.csv"}));

    // Time passes on the host's clock: the young file's turn comes too.
    host_.advance_us(2 * kHour);
    EXPECT_EQ(sweeper_.run().removed, 0);  // young.csv was processed; the notes are new
    host_.advance_us(25 * kHour);
    EXPECT_EQ(sweeper_.run().removed, 3);  // the two expired notes and the loaded note
}

}  // namespace
}  // namespace sightline::intake_ftps
