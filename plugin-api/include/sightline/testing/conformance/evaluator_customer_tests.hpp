// Evaluator conformance, part 2: last_purchase, first_purchase, lifecycle stages (with their
// thresholds, the defaults and a tenant's own) and customer ids over the whole unsigned range.
// as_of is kAsOf (2026-01-31T12:00:00Z) unless a test says otherwise.
#pragma once

#include "sightline/testing/conformance/evaluator_fixture.hpp"

namespace sightline::testing {

namespace conformance {
// Purchases (time of the earliest line of an order with a net total > 0) at kAsOf:
//   1: 2026-01-01T12:00:00 (exactly kAsOf - 30 days)   2: 2026-01-01T12:00:01
//   3: 2025-12-01, 2026-01-20                            4: none (refunded in full)
//   5: none yet (after kAsOf)                            6: 2026-01-20 (the other is after kAsOf)
//   7: 2025-12-20 (its first line is a -1)
inline const char* purchase_ages() {
    return "A,2026-01-01T12:00:00Z,1,x,1\n"
           "B,2026-01-01T12:00:01Z,2,x,1\n"
           "C,2025-12-01T00:00:00Z,3,x,1\n"
           "D,2026-01-20T00:00:00Z,3,x,1\n"
           "E,2026-01-10T00:00:00Z,4,x,5\n"
           "E,2026-01-15T00:00:00Z,4,x,-5\n"
           "F,2026-02-01T00:00:00Z,5,x,1\n"
           "G,2026-01-20T00:00:00Z,6,x,1\n"
           "H,2026-02-05T00:00:00Z,6,x,1\n"
           "J,2025-12-20T00:00:00Z,7,x,-1\n"
           "J,2026-01-20T00:00:00Z,7,x,5\n";
}
}  // namespace conformance

// --- last_purchase, first_purchase -------------------------------------------------------------

TEST_P(EvaluatorConformance, LastPurchaseWithinAndBeforeAtTheBoundarySecond) {
    load_sales(conformance::purchase_ages());
    // within 30: time > 2026-01-01T12:00:00; before 30: time <= 2026-01-01T12:00:00
    EXPECT_EQ(ids(R"({"last_purchase": {"within_days": 30}})"), (Ids{2, 3, 6}));
    EXPECT_EQ(ids(R"({"last_purchase": {"before_days": 30}})"), (Ids{1, 7}));
    EXPECT_EQ(ids(R"({"last_purchase": {"before_days": 0}})"), (Ids{1, 2, 3, 6, 7}));
    EXPECT_EQ(ids(R"({"last_purchase": {"within_days": 60, "before_days": 30}})"), (Ids{1, 7}));
    EXPECT_EQ(ids(R"({"not": {"last_purchase": {"before_days": 0}}})"), (Ids{4}));
}

TEST_P(EvaluatorConformance, FirstPurchaseWithinAndBeforeAtTheBoundarySecond) {
    load_sales(conformance::purchase_ages());
    EXPECT_EQ(ids(R"({"first_purchase": {"within_days": 30}})"), (Ids{2, 6}));
    EXPECT_EQ(ids(R"({"first_purchase": {"before_days": 30}})"), (Ids{1, 3, 7}));
    // 2025-12-01T12:00:00 < time <= 2026-01-01T12:00:00 (3's first is at 12-01T00:00:00)
    EXPECT_EQ(ids(R"({"first_purchase": {"within_days": 61, "before_days": 30}})"), (Ids{1, 7}));
    EXPECT_EQ(ids(R"({"first_purchase": {"within_days": 62, "before_days": 30}})"), (Ids{1, 3, 7}));
    // After kAsOf 5 has a first purchase, 6 a later last one.
    EXPECT_EQ(ids(R"({"first_purchase": {"within_days": 1}})", "2026-02-05T00:00:00Z"), Ids{});
    EXPECT_EQ(ids(R"({"last_purchase": {"within_days": 1}})", "2026-02-05T00:00:00Z"), (Ids{6}));
    EXPECT_EQ(ids(R"({"first_purchase": {"within_days": 5}})", "2026-02-05T00:00:00Z"), (Ids{5}));
}

// --- lifecycle ---------------------------------------------------------------------------------

TEST_P(EvaluatorConformance, LifecycleStages) {
    load_sales(conformance::order_history());
    // Purchases: 1: two, last 01-20; 2: none; 3: one, 01-05; 4: two, last 01-30; 5: one, 01-20;
    // 6: one, 2025-12-20; 7: one, 2025-01-01; 8: one, 2025-06-01 (see order_history()).
    EXPECT_EQ(ids(R"({"lifecycle": "first_time_buyer"})"), (Ids{3, 5, 6}));
    EXPECT_EQ(ids(R"({"lifecycle": "active"})"), (Ids{1, 4}));
    EXPECT_EQ(ids(R"({"lifecycle": "defecting"})"), (Ids{8}));
    EXPECT_EQ(ids(R"({"lifecycle": "inactive"})"), (Ids{7}));
    // A customer with no purchase has no stage.
    EXPECT_EQ(ids(R"({"not": {"any": [{"lifecycle": "first_time_buyer"}, {"lifecycle": "active"},)"
                  R"( {"lifecycle": "defecting"}, {"lifecycle": "inactive"}]}})"),
              (Ids{2}));
}

TEST_P(EvaluatorConformance, LifecycleThresholdsAtTheBoundarySecond) {
    // kAsOf - 90 days = 2025-11-02T12:00:00Z, kAsOf - 365 days = 2025-01-31T12:00:00Z
    load_sales(
        "A,2025-11-02T12:00:00Z,1,x,1\n"  // exactly 90 days old: older than active_days
        "B,2025-11-02T12:00:01Z,2,x,1\n"
        "C,2025-03-01T00:00:00Z,3,x,1\n"
        "D,2025-11-02T12:00:01Z,3,x,1\n"
        "E,2025-01-31T12:00:00Z,4,x,1\n"  // exactly 365 days old: inactive
        "F,2025-01-31T12:00:01Z,5,x,1\n"
        "G,2025-11-02T12:00:00Z,6,x,1\n"
        "H,2025-10-01T00:00:00Z,6,x,1\n");
    EXPECT_EQ(ids(R"({"lifecycle": "first_time_buyer"})"), (Ids{2}));
    EXPECT_EQ(ids(R"({"lifecycle": "active"})"), (Ids{3}));
    EXPECT_EQ(ids(R"({"lifecycle": "defecting"})"), (Ids{1, 5, 6}));
    EXPECT_EQ(ids(R"({"lifecycle": "inactive"})"), (Ids{4}));
}

TEST_P(EvaluatorConformance, LifecycleUsesTheTenantsThresholds) {
    // Tenant "slow": active_days 30 (after 2026-01-01T12:00:00Z), inactive_days 200 (after
    // 2025-07-15T12:00:00Z). The same lines under the defaults for "acme".
    const std::string lines =
        "A,2026-01-01T12:00:01Z,1,x,1\n"
        "B,2026-01-01T12:00:00Z,2,x,1\n"
        "C,2025-07-15T12:00:00Z,3,x,1\n"
        "D,2025-11-01T00:00:00Z,4,x,1\n"
        "E,2025-12-01T00:00:00Z,4,x,1\n"
        "F,2025-07-15T12:00:01Z,5,x,1\n";
    load_sales(lines, kSlow);
    load_sales(lines, kTenant);
    EXPECT_EQ(ids(R"({"lifecycle": "first_time_buyer"})", conformance::kAsOf, kSlow), (Ids{1}));
    EXPECT_EQ(ids(R"({"lifecycle": "active"})", conformance::kAsOf, kSlow), Ids{});
    EXPECT_EQ(ids(R"({"lifecycle": "defecting"})", conformance::kAsOf, kSlow), (Ids{2, 4, 5}));
    EXPECT_EQ(ids(R"({"lifecycle": "inactive"})", conformance::kAsOf, kSlow), (Ids{3}));
    EXPECT_EQ(ids(R"({"lifecycle": "first_time_buyer"})"), (Ids{1, 2}));
    EXPECT_EQ(ids(R"({"lifecycle": "active"})"), (Ids{4}));
    EXPECT_EQ(ids(R"({"lifecycle": "defecting"})"), (Ids{3, 5}));
    EXPECT_EQ(ids(R"({"lifecycle": "inactive"})"), Ids{});
}

TEST_P(EvaluatorConformance, LifecycleCountsRefundsThroughNetTotals) {
    load_sales(
        "A,2026-01-10T00:00:00Z,1,x,10\n"
        "B,2026-01-20T00:00:00Z,1,x,10\n"
        "B,2026-01-25T00:00:00Z,1,x,-10\n"  // B refunded in full: 1 bought once
        "C,2026-01-10T00:00:00Z,2,x,10\n"
        "C,2026-01-11T00:00:00Z,2,x,-10\n"  // 2 has no purchase
        "D,2025-01-01T00:00:00Z,3,x,10\n"
        "E,2026-01-20T00:00:00Z,3,x,0\n");  // a zero order is no purchase: 3 stays inactive
    EXPECT_EQ(ids(R"({"lifecycle": "first_time_buyer"})"), (Ids{1}));
    EXPECT_EQ(ids(R"({"lifecycle": "active"})"), Ids{});
    EXPECT_EQ(ids(R"({"lifecycle": "inactive"})"), (Ids{3}));
    // Before the refund existed, 1 had bought twice.
    EXPECT_EQ(ids(R"({"lifecycle": "active"})", "2026-01-24T00:00:00Z"), (Ids{1}));
}

// --- customer ids ------------------------------------------------------------------------------

TEST_P(EvaluatorConformance, CustomerIdsAcrossTheUnsignedRangeInAscendingOrder) {
    load_sales(
        "A,2026-01-10T00:00:00Z,18446744073709551615,x,1\n"
        "A,2026-01-10T00:00:00Z,9223372036854775808,x,1\n"
        "A,2026-01-10T00:00:00Z,9223372036854775807,x,1\n"
        "A,2026-01-10T00:00:00Z,0,x,1\n"
        "A,2026-01-10T00:00:00Z,18446744073709551614,x,0\n"
        "B,2026-01-11T00:00:00Z,18446744073709551615,x,2\n"
        "C,2026-01-10T00:00:00Z,9223372036854775809,x,-1\n");
    EXPECT_EQ(ids(R"({"purchased": {}})"),
              (Ids{0, 9223372036854775807ull, 9223372036854775808ull, 18446744073709551615ull}));
    EXPECT_EQ(ids(R"({"not": {"purchased": {}}})"),
              (Ids{9223372036854775809ull, 18446744073709551614ull}));
    EXPECT_EQ(ids(R"({"revenue": {"max": 0}})"),
              (Ids{9223372036854775809ull, 18446744073709551614ull}));
    EXPECT_EQ(ids(R"({"orders": {"min": 2}})"), (Ids{18446744073709551615ull}));
    EXPECT_EQ(ids(R"({"lifecycle": "first_time_buyer"})"),
              (Ids{0, 9223372036854775807ull, 9223372036854775808ull}));
}

}  // namespace sightline::testing
