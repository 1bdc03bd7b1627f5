// Target conformance, part 2: selective deletion and restore from the archive, through the host
// (Harness::delete_lines and Harness::restore), seen through the public TenantStore API.
#pragma once

#include <filesystem>
#include <fstream>

#include "sightline/testing/conformance/target_loading_tests.hpp"

namespace sightline::testing {

TEST_P(TargetConformance, DeletesByCustomersWithADryRunFirst) {
    expect_loaded(load("a.csv", conformance::deletion_data()), 5);
    auto r = deletion(plugin::DeletionScope::customers, /*dry_run=*/true);
    r.customers = {1, 3, 424242};
    expect_result(h().delete_lines(kTenant, r), 3, 2, 2, "0.299999");
    EXPECT_EQ(stats().lines, 5u);
    EXPECT_TRUE(deletions().empty());
    r.dry_run = false;
    expect_result(h().delete_lines(kTenant, r), 3, 2, 2, "0.299999");
    const auto s = stats();
    EXPECT_EQ(s.lines, 2u);
    EXPECT_EQ(s.customers, 2u);
    EXPECT_EQ(s.revenue, "12.25");
    const auto records = target().open(kTenant)->deletions();
    ASSERT_EQ(records.size(), 1u);
    EXPECT_FALSE(records[0].id.empty());
    EXPECT_EQ(records[0].scope, plugin::DeletionScope::customers);
    EXPECT_EQ(records[0].reason, "conformance test");
    EXPECT_EQ(records[0].operator_name, "tester");
    EXPECT_GT(records[0].at_us, 0);
    expect_result(records[0].removed, 3, 2, 2, "0.299999");
}

TEST_P(TargetConformance, DeletesByOrdersUnderEveryCustomer) {
    expect_loaded(load("a.csv", conformance::deletion_data()), 5);
    auto r = deletion(plugin::DeletionScope::orders, /*dry_run=*/true);
    r.orders = {"A1", "nope"};
    expect_result(h().delete_lines(kTenant, r), 3, 2, 2, "5.3");
    EXPECT_EQ(stats().lines, 5u);
    r.dry_run = false;
    expect_result(h().delete_lines(kTenant, r), 3, 2, 2, "5.3");
    EXPECT_EQ(stats().revenue, "7.249999");
    ASSERT_EQ(deletions().size(), 1u);
}

TEST_P(TargetConformance, DeletesByTimeRangeFromInclusiveToExclusive) {
    expect_loaded(load("a.csv", conformance::deletion_data()), 5);
    auto r = deletion(plugin::DeletionScope::time_range, /*dry_run=*/true);
    r.from_us = conformance::kNov1 + 11 * 3600000000LL;  // 2026-11-01T11:00:00Z: included
    r.to_us = conformance::kNov1 + 2 * conformance::kDay + 10 * 3600000000LL;  // excluded
    expect_result(h().delete_lines(kTenant, r), 3, 3, 3, "5.199999");
    EXPECT_EQ(stats().lines, 5u);
    r.dry_run = false;
    expect_result(h().delete_lines(kTenant, r), 3, 3, 3, "5.199999");
    EXPECT_EQ(rows(), (std::vector<std::string>{
                          "A1|1793527200000000|1|x|100000|1000000",
                          "C3|1793700000000000|18446744073709551615|z|7250000|1000000"}));
    const auto records = target().open(kTenant)->deletions();
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].scope, plugin::DeletionScope::time_range);
}

TEST_P(TargetConformance, ADeletionDoesNotAffectLinesLoadedAfterwards) {
    expect_loaded(load("a.csv", conformance::deletion_data()), 5);
    auto r = deletion(plugin::DeletionScope::customers);
    r.customers = {1};
    h().delete_lines(kTenant, r);
    expect_loaded(
        load("later.csv", std::string(conformance::kSalesHeader) + "A1,2026-11-04,1,x,0.1,1\n"), 1);
    EXPECT_EQ(stats().lines, 4u);
    EXPECT_EQ(rows().back(), "A1|1793750400000000|1|x|100000|1000000");
    EXPECT_EQ(deletions().size(), 1u);
}

TEST_P(TargetConformance, RestoreIntoASecondTargetGivesTheSameTenant) {
    use_copy_target();
    build_history();
    const Snapshot original = snapshot();
    EXPECT_EQ(original.stats.lines, 3u);  // H8, H9 and K2
    const RestoreResult r = h().restore(kTenant, kCopy);
    ASSERT_TRUE(r.ok) << r.message;
    EXPECT_EQ(r.deletions, 3u);
    expect_same(snapshot(kCopy), original);
    expect_same(snapshot(), original);  // the source is untouched
}

TEST_P(TargetConformance, RestoreInPlaceWithReplaceGivesTheSameTenant) {
    build_history();
    const Snapshot original = snapshot();
    const RestoreResult r = h().restore(kTenant, "", /*replace=*/true);
    ASSERT_TRUE(r.ok) << r.message;
    expect_same(snapshot(), original);
}

TEST_P(TargetConformance, RestoreACorruptArchiveObjectStopsItBeforeAnythingChanges) {
    use_copy_target();
    build_history();
    const Snapshot original = snapshot();
    const std::string sha = target().open(kTenant)->history()[0].sha256;
    {
        std::fstream file(object_file(sha), std::ios::in | std::ios::out | std::ios::binary);
        ASSERT_TRUE(file) << object_file(sha);
        file.seekp(10);
        file.put('#');
    }
    const RestoreResult into_copy = h().restore(kTenant, kCopy);
    EXPECT_FALSE(into_copy.ok);
    EXPECT_EQ(stats(kTenant, kCopy).lines, 0u);
    EXPECT_TRUE(history(kTenant, kCopy).empty());
    const RestoreResult in_place = h().restore(kTenant, "", /*replace=*/true);
    EXPECT_FALSE(in_place.ok);
    expect_same(snapshot(), original);
}

TEST_P(TargetConformance, RestoreAMissingArchiveObjectStopsItBeforeAnythingChanges) {
    build_history();
    const Snapshot original = snapshot();
    const auto files = target().open(kTenant)->history();
    std::filesystem::remove(object_file(files.back().sha256));
    const RestoreResult r = h().restore(kTenant, "", /*replace=*/true);
    EXPECT_FALSE(r.ok);
    expect_same(snapshot(), original);
}

}  // namespace sightline::testing
