// Segment definition backups in the archive, with the host's clock injected: one dated file per
// day, an unchanged day not written twice, a change written the same day, and restores picking
// the newest backup or the one named.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "sightline/core/runtime.hpp"
#include "sightline/core/segment_backup.hpp"
#include "sightline/core/timestamp.hpp"
#include "sightline/testing/plugin_testing.hpp"

namespace sightline::core {
namespace {

constexpr int64_t kDay = 86'400'000'000;
const std::string kV1 = R"({"id":"vip","name":"VIP","rule":{"revenue":{"min":500.50}}})";
const std::string kV2 = R"({"id":"vip","name":"VIP","rule":{"revenue":{"min":600}}})";

class SegmentBackupTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string reason;
        now_ = *parse_timestamp("2026-11-29T10:00:00Z", reason);
        const std::string profile = dir_.path() + "/profile.yaml";
        std::ofstream(profile) << "version: 1\nstate_dir: " << dir_.path()
                               << "/state\nlog: {level: error}\n"
                                  "archive: {plugin: archive-fs, config: {root: "
                               << dir_.path()
                               << "/archive}}\n"
                                  "target: {plugin: target-sqlite, config: {dir: "
                               << dir_.path() << "/db}}\ntenants: [{id: acme}, {id: globex}]\n";
        runtime_ =
            std::make_unique<Runtime>(profile, SIGHTLINE_BUILD_PLUGIN_DIR, [this] { return now_; });
        store_ = std::make_unique<SegmentStore>(dir_.path() + "/state");
    }

    size_t segment_entries(const std::string& tenant) {
        size_t n = 0;
        for (const auto& entry : runtime_->archive().history(tenant))
            n += entry.find("\"type\":\"segments\"") != std::string::npos;
        return n;
    }

    testing::TempDir dir_;
    int64_t now_ = 0;
    std::unique_ptr<Runtime> runtime_;
    std::unique_ptr<SegmentStore> store_;
};

TEST_F(SegmentBackupTest, OneDatedFilePerDayAndEveryChange) {
    store_->put("acme", "vip", kV1, "ann", now_);
    auto first = backup_segments(*runtime_, *store_, "acme");
    EXPECT_TRUE(first.written);
    EXPECT_EQ(first.name, "segments-2026-11-29.json");
    EXPECT_EQ(first.versions, 1u);
    EXPECT_TRUE(runtime_->archive().contains("acme", first.sha256));

    now_ += 3'600'000'000;  // an hour later, nothing changed
    EXPECT_FALSE(backup_segments(*runtime_, *store_, "acme").written);
    store_->put("acme", "vip", kV2, "bob", now_);  // a change the same day is written
    const auto changed = backup_segments(*runtime_, *store_, "acme");
    EXPECT_TRUE(changed.written);
    EXPECT_NE(changed.sha256, first.sha256);

    now_ += kDay;  // the next day gets its own file, even unchanged
    const auto next_day = backup_segments(*runtime_, *store_, "acme");
    EXPECT_TRUE(next_day.written);
    EXPECT_EQ(next_day.name, "segments-2026-11-30.json");
    EXPECT_EQ(next_day.sha256, changed.sha256) << "same definitions, same bytes";
    EXPECT_EQ(segment_entries("acme"), 3u);
    EXPECT_EQ(segment_entries("globex"), 0u) << "tenants are separate";
}

TEST_F(SegmentBackupTest, TheDailyJobSkipsTenantsWithoutDefinitions) {
    store_->put("acme", "vip", kV1, "ann", now_);
    DailySegmentBackup daily(*runtime_, *store_, std::chrono::hours(24));
    // Its first pass runs at once, on its own thread.
    for (int i = 0; i < 500 && segment_entries("acme") == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(segment_entries("acme"), 1u);
    EXPECT_EQ(daily.run_once(), 0u) << "today's backup is already there";
    EXPECT_EQ(segment_entries("globex"), 0u);
    now_ += kDay;
    EXPECT_EQ(daily.run_once(), 1u);
}

TEST_F(SegmentBackupTest, RestoreTakesTheNewestOrTheNamedBackupExactly) {
    store_->put("acme", "vip", kV1, "ann", now_);
    backup_segments(*runtime_, *store_, "acme");
    now_ += kDay;
    store_->put("acme", "vip", kV2, "bob", now_);
    backup_segments(*runtime_, *store_, "acme");

    SegmentStore fresh(dir_.path() + "/fresh-state");
    auto older = restore_segment_definitions(*runtime_, fresh, "acme", "2026-11-29");
    ASSERT_TRUE(older.has_value());
    EXPECT_EQ(older->imported, 1u);
    EXPECT_EQ(fresh.get("acme", "vip")->definition_json, kV1) << "numbers exactly as written";
    auto newest = restore_segment_definitions(*runtime_, fresh, "acme");
    ASSERT_TRUE(newest.has_value());
    EXPECT_EQ(newest->name, "segments-2026-11-30.json");
    EXPECT_EQ(newest->imported, 1u) << "only the version the store lacked";
    EXPECT_EQ(fresh.get("acme", "vip")->definition_json, kV2);
    EXPECT_EQ(fresh.get("acme", "vip")->author, "bob");
    EXPECT_FALSE(restore_segment_definitions(*runtime_, fresh, "globex").has_value());
}

}  // namespace
}  // namespace sightline::core
