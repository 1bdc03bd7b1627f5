#include "sightline/core/segment_store.hpp"

#include <gtest/gtest.h>

#include "sightline/plugin/api.hpp"
#include "sightline/testing/plugin_testing.hpp"

namespace sightline::core {
namespace {

const std::string kA = R"({"id":"a","name":"A","rule":{"orders":{"min":1}}})";
const std::string kA2 = R"({"id":"a","name":"A","rule":{"orders":{"min":2}}})";
const std::string kB = R"({"id":"b","name":"B","rule":{"lifecycle":"active"}})";

TEST(SegmentStore, EveryChangeIsAVersionWithWhoAndWhen) {
    testing::TempDir dir;
    SegmentStore store(dir.path());
    bool created = false;
    EXPECT_EQ(store.put("acme", "a", kA, "ann", 100, &created).version, 1);
    EXPECT_TRUE(created);
    EXPECT_EQ(store.put("acme", "a", kA, "bob", 200, &created).version, 1);
    EXPECT_FALSE(created) << "an unchanged definition keeps its version";
    EXPECT_EQ(store.put("acme", "a", kA2, "bob", 300, &created).version, 2);
    EXPECT_TRUE(store.remove("acme", "a", "cy", 400));
    EXPECT_FALSE(store.remove("acme", "a", "cy", 500)) << "already deleted";
    EXPECT_FALSE(store.get("acme", "a").has_value());
    const auto versions = store.versions("acme", "a");
    ASSERT_EQ(versions.size(), 3u);
    EXPECT_EQ(versions[0].author, "ann");
    EXPECT_EQ(versions[0].definition_json, kA);
    EXPECT_EQ(versions[1].at_us, 300);
    EXPECT_TRUE(versions[2].deleted);
    // Saving again after a deletion starts a new current version.
    EXPECT_EQ(store.put("acme", "a", kA, "dee", 600).version, 4);
    EXPECT_EQ(store.get("acme", "a")->definition_json, kA);
}

TEST(SegmentStore, TenantsAreSeparate) {
    testing::TempDir dir;
    SegmentStore store(dir.path());
    store.put("acme", "a", kA, "ann", 1);
    store.put("globex", "b", kB, "ann", 1);
    ASSERT_EQ(store.list("acme").size(), 1u);
    EXPECT_EQ(store.list("acme")[0].id, "a");
    EXPECT_FALSE(store.get("globex", "a").has_value());
    // A second store on the same folder (another process) sees the same versions.
    SegmentStore other(dir.path());
    EXPECT_EQ(other.get("acme", "a")->version, 1);
}

TEST(SegmentStore, ImportAddsMissingVersionsAndRefusesConflicts) {
    testing::TempDir dir;
    SegmentStore store(dir.path());
    store.put("acme", "a", kA, "ann", 1);
    store.put("acme", "a", kA2, "ann", 2);
    store.put("acme", "b", kB, "ann", 3);
    const auto backup = store.all_versions("acme");
    ASSERT_EQ(backup.size(), 3u);

    testing::TempDir fresh;
    SegmentStore restored(fresh.path());
    EXPECT_EQ(restored.import_versions("acme", backup), 3u);
    EXPECT_EQ(restored.import_versions("acme", backup), 0u) << "idempotent";
    EXPECT_EQ(restored.get("acme", "a")->definition_json, kA2);

    std::vector<SegmentVersion> conflicting = backup;
    conflicting[0].definition_json = kB;
    EXPECT_THROW(restored.import_versions("acme", conflicting), plugin::Error);
    EXPECT_EQ(restored.versions("acme", "a")[0].definition_json, kA) << "nothing changed";
}

}  // namespace
}  // namespace sightline::core
