// Evaluator conformance, part 1: windows, as_of and the universe, all/any/not, purchased, orders
// and revenue (segments.md "Time, evaluation instant and windows", "Orders and purchases",
// "Rules"). Every expected list is worked out by hand in the comments; as_of is kAsOf
// (2026-01-31T12:00:00Z) unless a test says otherwise.
#pragma once

#include "sightline/testing/conformance/evaluator_fixture.hpp"

namespace sightline::testing {

namespace conformance {
// Lines on both sides of each window edge around kAsOf, price 1 each, one customer per line.
inline const char* window_edges() {
    return "A,2026-01-30T12:00:00Z,1,x,1\n"   // exactly kAsOf - 1 day
           "A,2026-01-30T12:00:01Z,2,x,1\n"   // one second later
           "A,2026-01-31T12:00:00Z,3,x,1\n"   // kAsOf itself
           "A,2026-01-31T12:00:01Z,4,x,1\n"   // after kAsOf
           "A,2026-01-30T00:00:00Z,5,x,1\n"   // midnight starting 01-30
           "A,2026-01-31T00:00:00Z,6,x,1\n"   // midnight ending 01-30
           "A,2026-01-29T23:59:59Z,7,x,1\n";  // the last second of 01-29
}
}  // namespace conformance

// --- windows -----------------------------------------------------------------------------------

TEST_P(EvaluatorConformance, WithinDaysExcludesTheBoundarySecondAndIncludesAsOf) {
    load_sales(conformance::window_edges());
    // as_of - 1 day < t <= as_of: 01-30T12:00:01 .. 01-31T12:00:00
    EXPECT_EQ(ids(R"({"purchased": {"within_days": 1}})"), (Ids{2, 3, 6}));
    // after 01-29T12:00:00
    EXPECT_EQ(ids(R"({"purchased": {"within_days": 2}})"), (Ids{1, 2, 3, 5, 6, 7}));
}

TEST_P(EvaluatorConformance, BetweenIncludesTheFirstMidnightAndExcludesTheDayAfterTheSecond) {
    load_sales(conformance::window_edges());
    // 01-30T00:00:00 <= t < 01-31T00:00:00
    EXPECT_EQ(ids(R"({"purchased": {"between": ["2026-01-30", "2026-01-30"]}})"), (Ids{1, 2, 5}));
    EXPECT_EQ(ids(R"({"purchased": {"between": ["2026-01-29", "2026-01-29"]}})"), (Ids{7}));
    EXPECT_EQ(ids(R"({"purchased": {"between": ["2026-01-28", "2026-01-29"]}})"), (Ids{7}));
}

TEST_P(EvaluatorConformance, BetweenWithAsOfInsideStopsAtAsOf) {
    load_sales(conformance::window_edges());
    // 01-31T00:00:00 <= t < 02-02T00:00:00 and t <= as_of
    EXPECT_EQ(ids(R"({"purchased": {"between": ["2026-01-31", "2026-02-01"]}})"), (Ids{3, 6}));
    EXPECT_EQ(
        ids(R"({"purchased": {"between": ["2026-01-31", "2026-02-01"]}})", "2026-02-02T00:00:00Z"),
        (Ids{3, 4, 6}));
    // A window that starts after as_of selects nothing.
    EXPECT_EQ(ids(R"({"purchased": {"between": ["2026-02-01", "2026-02-01"]}})"), Ids{});
}

TEST_P(EvaluatorConformance, WindowsApplyToRevenueAndOrdersToo) {
    load_sales(conformance::window_edges());
    EXPECT_EQ(ids(R"({"revenue": {"within_days": 1, "min": 1}})"), (Ids{2, 3, 6}));
    EXPECT_EQ(ids(R"({"orders": {"between": ["2026-01-30", "2026-01-30"], "min": 1}})"),
              (Ids{1, 2, 5}));
}

// --- as_of and the universe ------------------------------------------------------------------

TEST_P(EvaluatorConformance, LinesAfterAsOfDoNotExist) {
    load_sales(
        "A,2026-01-31T12:00:00Z,1,x,1\n"
        "B,2026-01-31T12:00:01Z,2,x,1\n"  // 2 exists only after kAsOf
        "C,2026-01-10T00:00:00Z,3,x,0\n"
        "D,2026-01-31T12:00:01Z,3,x,5\n");  // 3's only purchase is after kAsOf
    EXPECT_EQ(ids(R"({"purchased": {}})"), (Ids{1}));
    EXPECT_EQ(ids(R"({"revenue": {"max": 0}})"), (Ids{3}));
    EXPECT_EQ(ids(R"({"orders": {"max": 0}})"), (Ids{3}));
    EXPECT_EQ(ids(R"({"purchased": {}})", "2026-02-01T00:00:00Z"), (Ids{1, 2, 3}));
}

TEST_P(EvaluatorConformance, NotComplementsWithinTheUniverse) {
    load_sales(
        "A,2026-01-31T12:00:00Z,1,x,1\n"
        "B,2026-01-31T12:00:01Z,2,x,1\n"  // after kAsOf: 2 is not in the universe
        "C,2026-01-10T00:00:00Z,3,x,0\n");
    EXPECT_EQ(ids(R"({"not": {"purchased": {}}})"), (Ids{3}));
    EXPECT_EQ(ids(R"({"not": {"revenue": {"min": 1000}}})"), (Ids{1, 3}));
    EXPECT_EQ(ids(R"({"not": {"not": {"purchased": {}}}})"), (Ids{1}));
    EXPECT_EQ(ids(R"({"not": {"purchased": {}}})", "2026-02-01T00:00:00Z"), (Ids{3}));
    // Before any line the universe is empty.
    EXPECT_EQ(ids(R"({"not": {"purchased": {}}})", "2025-01-01T00:00:00Z"), Ids{});
}

TEST_P(EvaluatorConformance, AllAndAny) {
    load_sales(conformance::order_history());
    // lifecycle active at kAsOf: 1, 4; a purchase in the last 5 days (after 01-26T12:00): 4
    EXPECT_EQ(
        ids(R"({"all": [{"lifecycle": "active"}, {"orders": {"within_days": 5, "min": 1}}]})"),
        (Ids{4}));
    EXPECT_EQ(ids(R"({"any": [{"lifecycle": "inactive"}, {"lifecycle": "defecting"},)"
                  R"( {"revenue": {"max": 0}}]})"),
              (Ids{2, 7, 8}));
    EXPECT_EQ(ids(R"({"all": [{"purchased": {}}]})"), (Ids{1, 2, 3, 4, 5, 6, 7, 8}));
    EXPECT_EQ(ids(R"({"all": [{"revenue": {"min": 5}}, {"not": {"lifecycle": "active"}}]})"),
              (Ids{3, 5, 6, 7}));
}

// --- purchased ---------------------------------------------------------------------------------

TEST_P(EvaluatorConformance, PurchasedLooksAtLinesWithAPositivePrice) {
    load_sales(
        "P1,2026-01-10T00:00:00Z,1,x,10\n"
        "P2,2026-01-10T00:00:00Z,2,x,0\n"    // zero: not a purchase line
        "P3,2026-01-10T00:00:00Z,3,x,-10\n"  // a return only
        "X1,2026-01-10T00:00:00Z,4,x,10\n"   // refunded later: still purchased
        "X1,2026-01-20T00:00:00Z,4,x,-10\n"
        "P5,2026-01-10T00:00:00Z,5,x,0.000001\n");
    EXPECT_EQ(ids(R"({"purchased": {}})"), (Ids{1, 4, 5}));
    EXPECT_EQ(ids(R"({"not": {"purchased": {}}})"), (Ids{2, 3}));
    // ... while `orders` counts net purchases: X1 totals 0.
    EXPECT_EQ(ids(R"({"orders": {"min": 1}})"), (Ids{1, 5}));
}

TEST_P(EvaluatorConformance, PurchasedCategoriesByPathAtLevelBoundaries) {
    load(
        "item,category\n"
        "A,Shoes>Running|Sale\n"
        "B,Shoestrings\n"
        "C,Shoes\n"
        "D,Hats>Shoes\n"
        "F,Shoes>Running>Trail\n",
        "catalog.csv");
    load_sales(
        "P1,2026-01-10T00:00:00Z,1,A,10\n"
        "P2,2026-01-10T00:00:00Z,2,B,10\n"
        "P3,2026-01-10T00:00:00Z,3,C,10\n"
        "P4,2026-01-10T00:00:00Z,4,D,10\n"
        "P5,2026-01-10T00:00:00Z,5,E,10\n"  // E is not in the catalog: no category
        "P6,2026-01-10T00:00:00Z,6,F,10\n"
        "P7,2026-01-10T00:00:00Z,7,A,-10\n");  // a return only
    EXPECT_EQ(ids(R"({"purchased": {"categories": ["Shoes"]}})"), (Ids{1, 3, 6}));
    EXPECT_EQ(ids(R"({"purchased": {"categories": ["Shoes>Running"]}})"), (Ids{1, 6}));
    EXPECT_EQ(ids(R"({"purchased": {"categories": ["Sale"]}})"), (Ids{1}));  // A's second path
    EXPECT_EQ(ids(R"({"purchased": {"categories": ["Shoes>Run"]}})"), Ids{});
    EXPECT_EQ(ids(R"({"purchased": {"categories": ["Shoe"]}})"), Ids{});
    EXPECT_EQ(ids(R"({"purchased": {"categories": ["Hats", "Shoestrings"]}})"), (Ids{2, 4}));
    EXPECT_EQ(ids(R"({"purchased": {"categories": ["shoes"]}})"), Ids{});  // case-sensitive
    EXPECT_EQ(ids(R"({"not": {"purchased": {"categories": ["Shoes", "Hats", "Shoestrings"]}}})"),
              (Ids{5, 7}));
}

TEST_P(EvaluatorConformance, PurchasedItems) {
    load("item,category\nA,Sale\nB,Sale\n", "catalog.csv");
    load_sales(
        "P1,2026-01-10T00:00:00Z,1,A,10\n"
        "P2,2026-01-10T00:00:00Z,2,B,10\n"
        "P3,2026-01-10T00:00:00Z,3,C,10\n"
        "P4,2026-01-10T00:00:00Z,4,a,10\n"  // items are case-sensitive
        "P5,2026-01-10T00:00:00Z,5,A,-10\n"
        "P5,2026-01-10T00:00:00Z,5,B,10\n");
    EXPECT_EQ(ids(R"({"purchased": {"items": ["A"]}})"), (Ids{1}));
    EXPECT_EQ(ids(R"({"purchased": {"items": ["A", "C"]}})"), (Ids{1, 3}));
    EXPECT_EQ(ids(R"({"purchased": {"items": ["C", "a", "B"]}})"), (Ids{2, 3, 4, 5}));
    // Both filters on the same line: an item of the list with a category of the list.
    EXPECT_EQ(ids(R"({"purchased": {"items": ["A", "C"], "categories": ["Sale"]}})"), (Ids{1}));
}

TEST_P(EvaluatorConformance, PurchasedMinOrdersCountsDistinctOrdersOfTheCustomer) {
    load_sales(
        "P7,2026-01-10T00:00:00Z,1,x,1\n"
        "P7,2026-01-11T00:00:00Z,1,y,1\n"  // one order, two lines
        "P8,2026-01-12T00:00:00Z,1,x,1\n"
        "P1,2026-01-10T00:00:00Z,2,x,1\n"
        "P1,2026-01-10T00:00:00Z,3,x,1\n"  // the same order id under 3 is another order
        "P2,2026-01-10T00:00:00Z,3,x,1\n"
        "Q1,2026-01-10T00:00:00Z,4,x,1\n"
        "Q2,2026-01-10T00:00:00Z,4,x,-1\n");  // no line with price > 0
    EXPECT_EQ(ids(R"({"purchased": {"min_orders": 2}})"), (Ids{1, 3}));
    EXPECT_EQ(ids(R"({"purchased": {"min_orders": 3}})"), Ids{});
    EXPECT_EQ(ids(R"({"purchased": {"min_orders": 1}})"), (Ids{1, 2, 3, 4}));
    // Only the orders with a line in the window count (after 01-11T12:00:00: P8).
    EXPECT_EQ(ids(R"({"purchased": {"within_days": 20, "min_orders": 2}})"), Ids{});
    EXPECT_EQ(ids(R"({"purchased": {"within_days": 21, "min_orders": 2}})"), (Ids{1}));
}

// --- orders ------------------------------------------------------------------------------------

TEST_P(EvaluatorConformance, OrdersCountPurchasesByNetTotalAtTheirEarliestLine) {
    load_sales(conformance::order_history());
    EXPECT_EQ(ids(R"({"orders": {"within_days": 30, "min": 1}})"), (Ids{1, 3, 4, 5}));
    EXPECT_EQ(ids(R"({"orders": {"min": 2}})"), (Ids{1, 4}));
    EXPECT_EQ(ids(R"({"orders": {"within_days": 30, "min": 2, "max": 2}})"), (Ids{1}));
    EXPECT_EQ(ids(R"({"orders": {"min": 1, "max": 1}})"), (Ids{3, 5, 6, 7, 8}));
}

TEST_P(EvaluatorConformance, OrdersWithMaxIncludeCustomersWithNone) {
    load_sales(conformance::order_history());
    EXPECT_EQ(ids(R"({"orders": {"within_days": 30, "max": 0}})"), (Ids{2, 6, 7, 8}));
    EXPECT_EQ(ids(R"({"orders": {"min": 0, "max": 0}})"), (Ids{2}));
    EXPECT_EQ(ids(R"({"orders": {"max": 1}})"), (Ids{2, 3, 5, 6, 7, 8}));
}

TEST_P(EvaluatorConformance, OrderNetTotalsOnlyCountLinesAtOrBeforeAsOf) {
    load_sales(conformance::order_history());
    // At 02-11 O5's refund exists: 3 has no purchase left.
    EXPECT_EQ(ids(R"({"orders": {"min": 1}})", "2026-02-11T00:00:00Z"), (Ids{1, 4, 5, 6, 7, 8}));
    EXPECT_EQ(ids(R"({"orders": {"min": 1}})"), (Ids{1, 3, 4, 5, 6, 7, 8}));
    // At 01-20T00:00:00, in the last 10 days (after 01-10T00:00:00): O3's refund does not exist
    // yet (2 has a purchase, 01-15), nor does O8's return (5: 01-20, net 10); O1 is on the edge.
    EXPECT_EQ(ids(R"({"orders": {"min": 1, "within_days": 10}})", "2026-01-20T00:00:00Z"),
              (Ids{1, 2, 5}));
}

// --- revenue -----------------------------------------------------------------------------------

TEST_P(EvaluatorConformance, RevenueSumsLinesInTheWindowIncludingReturns) {
    load_sales(conformance::order_history());
    EXPECT_EQ(ids(R"({"revenue": {"min": 8}})"), (Ids{1, 3, 5, 7}));
    EXPECT_EQ(ids(R"({"revenue": {"min": 4.000001}})"), (Ids{1, 3, 5, 6, 7}));
    EXPECT_EQ(ids(R"({"revenue": {"max": 4}})"), (Ids{2, 4, 8}));
    EXPECT_EQ(ids(R"({"revenue": {"within_days": 30, "min": 10, "max": 10}})"), (Ids{3, 6}));
    // At 02-11 O5's refund counts: 3 has 10 - 10.
    EXPECT_EQ(ids(R"({"revenue": {"max": 0}})", "2026-02-11T00:00:00Z"), (Ids{2, 3}));
}

TEST_P(EvaluatorConformance, RevenueMaxIncludesZeroForCustomersWithoutLinesInTheWindow) {
    load_sales(conformance::order_history());
    EXPECT_EQ(ids(R"({"revenue": {"max": 0}})"), (Ids{2}));
    EXPECT_EQ(ids(R"({"revenue": {"within_days": 30, "max": 0}})"), (Ids{2, 7, 8}));
    EXPECT_EQ(ids(R"({"revenue": {"within_days": 30, "min": 0, "max": 0}})"), (Ids{2, 7, 8}));
    EXPECT_EQ(ids(R"({"revenue": {"within_days": 1, "max": 0}})"), (Ids{1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST_P(EvaluatorConformance, RevenueBoundsWithMoreThanSixDecimalsAreRoundedInwards) {
    load_sales(
        "A,2026-01-10T00:00:00Z,1,x,10\n"
        "B,2026-01-10T00:00:00Z,2,x,10.000001\n"
        "C,2026-01-10T00:00:00Z,3,x,9.999999\n"
        "D,2026-01-10T00:00:00Z,4,x,-0.000001\n");
    EXPECT_EQ(ids(R"({"revenue": {"min": 10.0000001}})"), (Ids{2}));        // min 10.000001
    EXPECT_EQ(ids(R"({"revenue": {"max": 9.9999999}})"), (Ids{3, 4}));      // max 9.999999
    EXPECT_EQ(ids(R"({"revenue": {"min": -0.0000001}})"), (Ids{1, 2, 3}));  // min 0
    EXPECT_EQ(ids(R"({"revenue": {"max": -0.0000001}})"), (Ids{4}));        // max -0.000001
    EXPECT_EQ(ids(R"({"revenue": {"min": 9.9999999, "max": 10.0000001}})"), (Ids{1}));
    EXPECT_EQ(ids(R"({"revenue": {"min": 10.000000000000000000001}})"), (Ids{2}));
}

}  // namespace sightline::testing
