// Reports on a small hand-made tenant, with every expected number worked out by hand (the
// working is in the comments), on every available target, by every evaluator that computes
// reports.
#include <gtest/gtest.h>

#include "report_targets.hpp"
#include "sightline/core/report.hpp"
#include "sightline/core/timestamp.hpp"

namespace sightline::reporttest {
namespace {

using core::report::Granularity;
using core::report::Request;
using nlohmann::json;

// Items: A in Shoes>Running and Sale, B in Shoes>Trail, C in Bags, D not in the catalog.
const char* kCatalog =
    "item,category,title\n"
    "A,Shoes>Running|Sale,Runner\n"
    "B,Shoes>Trail,Trail shoe\n"
    "C,Bags,Bag\n";

// The range is [2026-03-01, 2026-03-15) (a Sunday to a Sunday). Customers: 1 buys before and
// on the first instant; 2 is long gone and refunds a new order in full; 3 bought 9 days before
// and buys again under an order id customer 2^64-1 uses too, then returns part of it on the last
// microsecond; 4 buys exactly at `to` (after the range, but at or before `to` for lifecycle);
// 5 has only a zero-priced line; 6 last bought 151 days before.
const char* kSales =
    "order,timestamp,customer,item,price,quantity\n"
    "o1,2025-12-01T10:00:00Z,1,A,50,1\n"
    "o2,2025-01-10,2,C,20,1\n"
    "o3,2026-02-20T08:00:00Z,3,B,30,1\n"
    "o10,2025-10-01,6,C,8,1\n"
    "o4,2026-03-01,1,A,40,1\n"
    "o4,2026-03-01T00:00:00Z,1,B,10,1\n"
    "o9,2026-03-02,5,B,0,1\n"
    "o5,2026-03-03T12:00:00Z,2,B,25,1\n"
    "o5,2026-03-05T09:00:00Z,2,B,-25,-1\n"
    "o6,2026-03-10T15:30:00Z,18446744073709551615,C,12.345,1\n"
    "o6,2026-03-10T15:30:00Z,18446744073709551615,D,7.655,1\n"
    "o6,2026-03-10T16:00:00Z,3,A,15,1\n"
    "o6,2026-03-14T23:59:59.999999Z,3,A,-5,0\n"
    "o8,2026-03-15,4,C,30,1\n"
    "o4,2026-03-20,1,A,-40,-1\n";

int64_t at(const char* text) {
    std::string reason;
    return *core::parse_timestamp(text, reason);
}

Request march(Granularity g, int top = 3) {
    Request r;
    r.from_us = at("2026-03-01");
    r.to_us = at("2026-03-15");
    r.granularity = g;
    r.top = top;
    return r;
}

// Lines in the range: 40, 10 (Mar 1), 0 (Mar 2), 25 (Mar 3), -25 (Mar 5), 12.345, 7.655, 15
// (Mar 10), -5 (Mar 14): gross 110, returned 30, revenue 80, 9 lines, 2 returns.
// Purchases as of to - 1 µs timed in the range: 1/o4 net 50 (the refund of Mar 20 comes later),
// 2^64-1/o6 net 20, 3/o6 net 15 - 5 = 10; 2/o5 nets 0 and 5/o9 0: no purchase. 3 orders worth
// 80, AOV 26.666... -> 26.67. ISO weeks: 2026-02-23 (W09) holds Mar 1 only.
const char* kRevenueWeeks = R"({
  "report": "revenue", "from": "2026-03-01T00:00:00Z", "to": "2026-03-15T00:00:00Z",
  "granularity": "week",
  "totals": {"revenue": "80", "orders": 3, "order_value": "80", "aov": "26.67"},
  "periods": [
    {"start": "2026-02-23", "label": "2026-W09", "revenue": "50", "orders": 1,
     "order_value": "50", "aov": "50"},
    {"start": "2026-03-02", "label": "2026-W10", "revenue": "0", "orders": 0,
     "order_value": "0", "aov": "0"},
    {"start": "2026-03-09", "label": "2026-W11", "revenue": "30", "orders": 2,
     "order_value": "30", "aov": "15"}]})";

// W10: 25 sold, 25 returned (share 1); W11: 35 sold, 5 returned, 5/35 = 0.1428571... -> 0.142857;
// all: 30/110 = 0.2727272... -> 0.272727.
const char* kReturnsWeeks = R"({
  "report": "returns", "from": "2026-03-01T00:00:00Z", "to": "2026-03-15T00:00:00Z",
  "granularity": "week",
  "totals": {"gross": "110", "returned": "30", "share": "0.272727", "lines": 9, "return_lines": 2},
  "periods": [
    {"start": "2026-02-23", "label": "2026-W09", "gross": "50", "returned": "0", "share": "0",
     "lines": 2, "return_lines": 0},
    {"start": "2026-03-02", "label": "2026-W10", "gross": "25", "returned": "25", "share": "1",
     "lines": 3, "return_lines": 1},
    {"start": "2026-03-09", "label": "2026-W11", "gross": "35", "returned": "5",
     "share": "0.142857", "lines": 4, "return_lines": 1}]})";

// As of from (inclusive): 1 has o1 and o4 (active), 2 only o2 415 days ago (inactive), 3 o3 9
// days ago (first-time buyer), 6 151 days ago (defecting); 4, 5 and 2^64-1 have no purchase.
// As of to: 3 has two purchases (active), 2^64-1 and 4 (at exactly `to`) one each, 5 still none.
const char* kLifecycle = R"({
  "report": "lifecycle", "from": "2026-03-01T00:00:00Z", "to": "2026-03-15T00:00:00Z",
  "active_days": 90, "inactive_days": 365,
  "at_from": {"first_time_buyer": 1, "active": 1, "defecting": 1, "inactive": 1},
  "at_to": {"first_time_buyer": 2, "active": 2, "defecting": 1, "inactive": 1},
  "transitions": {
    "none": {"none": 1, "first_time_buyer": 2, "active": 0, "defecting": 0, "inactive": 0},
    "first_time_buyer": {"none": 0, "first_time_buyer": 0, "active": 1, "defecting": 0,
                         "inactive": 0},
    "active": {"none": 0, "first_time_buyer": 0, "active": 1, "defecting": 0, "inactive": 0},
    "defecting": {"none": 0, "first_time_buyer": 0, "active": 0, "defecting": 1, "inactive": 0},
    "inactive": {"none": 0, "first_time_buyer": 0, "active": 0, "defecting": 0, "inactive": 1}}})";

// A: 40 + 15 - 5 = 50, buyers 1 and 3; B: 10 + 0 + 25 - 25 = 10, buyers 1 and 2 (5's line is
// not positive); C 12.345 and D 7.655, one buyer each. Top 3.
const char* kTopItems = R"({
  "report": "top-items", "from": "2026-03-01T00:00:00Z", "to": "2026-03-15T00:00:00Z", "top": 3,
  "by_revenue": [{"item": "A", "revenue": "50", "buyers": 2},
                 {"item": "C", "revenue": "12.345", "buyers": 1},
                 {"item": "B", "revenue": "10", "buyers": 2}],
  "by_buyers": [{"item": "A", "revenue": "50", "buyers": 2},
                {"item": "B", "revenue": "10", "buyers": 2},
                {"item": "C", "revenue": "12.345", "buyers": 1}]})";

// Shoes = A + B (an ancestor counts its descendants): 60, buyers 1, 2, 3. Sale and
// Shoes>Running = A: 50, 2 buyers ("Sale" < "Shoes>Running" in byte order); Shoes>Trail = B:
// 10, 2 buyers; Bags 12.345, 1 buyer; D is in no category.
const char* kTopCategories = R"({
  "report": "top-categories", "from": "2026-03-01T00:00:00Z", "to": "2026-03-15T00:00:00Z",
  "top": 4,
  "by_revenue": [{"category": "Shoes", "revenue": "60", "buyers": 3},
                 {"category": "Sale", "revenue": "50", "buyers": 2},
                 {"category": "Shoes>Running", "revenue": "50", "buyers": 2},
                 {"category": "Bags", "revenue": "12.345", "buyers": 1}],
  "by_buyers": [{"category": "Shoes", "revenue": "60", "buyers": 3},
                {"category": "Sale", "revenue": "50", "buyers": 2},
                {"category": "Shoes>Running", "revenue": "50", "buyers": 2},
                {"category": "Shoes>Trail", "revenue": "10", "buyers": 2}]})";

class Fixture : public ReportTarget {};

TEST_P(Fixture, HandComputedNumbers) {
    load(kCatalog, kSales);
    for (const std::string& evaluator : evaluator_ids()) {
        SCOPED_TRACE(evaluator);
        const Request weeks = march(Granularity::week);
        EXPECT_EQ(run(evaluator, "revenue", weeks), json::parse(kRevenueWeeks));
        EXPECT_EQ(run(evaluator, "returns", weeks), json::parse(kReturnsWeeks));
        EXPECT_EQ(run(evaluator, "lifecycle", weeks), json::parse(kLifecycle));
        EXPECT_EQ(run(evaluator, "top-items", weeks), json::parse(kTopItems));
        EXPECT_EQ(run(evaluator, "top-categories", march(Granularity::week, 4)),
                  json::parse(kTopCategories));

        // Days: 14 periods, zeros where nothing happened; Mar 10 has both purchases of 2^64-1
        // and 3 (20 + 10), Mar 5 only the refund.
        const json days = run(evaluator, "revenue", march(Granularity::day));
        ASSERT_EQ(days["periods"].size(), 14u);
        EXPECT_EQ(days["periods"][0], json::parse(R"({"start": "2026-03-01", "label": "2026-03-01",
            "revenue": "50", "orders": 1, "order_value": "50", "aov": "50"})"));
        EXPECT_EQ(days["periods"][3], json::parse(R"({"start": "2026-03-04", "label": "2026-03-04",
            "revenue": "0", "orders": 0, "order_value": "0", "aov": "0"})"));
        EXPECT_EQ(days["periods"][4]["revenue"], "-25");
        EXPECT_EQ(days["periods"][9], json::parse(R"({"start": "2026-03-10", "label": "2026-03-10",
            "revenue": "35", "orders": 2, "order_value": "30", "aov": "15"})"));
        EXPECT_EQ(days["periods"][13]["revenue"], "-5");

        // One month, the same totals.
        const json month = run(evaluator, "returns", march(Granularity::month));
        ASSERT_EQ(month["periods"].size(), 1u);
        EXPECT_EQ(month["periods"][0]["label"], "2026-03");
        EXPECT_EQ(month["periods"][0]["share"], "0.272727");

        // The summary holds each report as it is alone, and never a customer id.
        const json summary = run(evaluator, "summary", weeks);
        EXPECT_EQ(summary["revenue"], json::parse(kRevenueWeeks));
        EXPECT_EQ(summary["lifecycle"], json::parse(kLifecycle));
        EXPECT_EQ(summary["returns"], json::parse(kReturnsWeeks));
        EXPECT_EQ(summary.dump().find("18446744073709551615"), std::string::npos);
        EXPECT_THROW(run(evaluator, "nope", weeks), std::invalid_argument);
    }
}

TEST_P(Fixture, LifecycleBoundariesFollowTheSpec) {
    // A purchase exactly active_days before `to` is no longer within them (defecting), one a
    // microsecond later still is.
    load(kCatalog,
         "order,timestamp,customer,item,price\n"
         "a,2026-01-01T00:00:00Z,1,A,10\n"
         "b,2026-01-01T00:00:00.000001Z,2,A,10\n"
         "c,2025-04-01T00:00:00Z,3,A,10\n");
    Request r;
    r.from_us = at("2026-03-01");
    r.to_us = at("2026-03-31");  // 89 days after 2026-01-01, 364 after 2025-04-01
    r.active_days = 89;
    r.inactive_days = 364;
    for (const std::string& evaluator : evaluator_ids()) {
        SCOPED_TRACE(evaluator);
        const json j = run(evaluator, "lifecycle", r);
        EXPECT_EQ(j["at_to"], json::parse(R"({"first_time_buyer": 1, "active": 0,
            "defecting": 1, "inactive": 1})"));
        EXPECT_EQ(j["transitions"]["first_time_buyer"]["defecting"], 1);
        EXPECT_EQ(j["transitions"]["defecting"]["inactive"], 1);
    }
}

INSTANTIATE_TEST_SUITE_P(Targets, Fixture, ::testing::ValuesIn(target_cases()),
                         [](const auto& info) { return info.param.name; });

TEST(ReportRequest, RefusesBadRequests) {
    Request good = march(Granularity::day);
    EXPECT_NO_THROW(core::report::validate(good));
    auto refused = [](Request r) {
        EXPECT_THROW(core::report::validate(r), std::invalid_argument);
    };
    Request r = good;
    r.to_us = r.from_us;
    refused(r);
    r = good;
    r.top = 0;
    refused(r);
    r.top = 101;
    refused(r);
    r = good;
    r.inactive_days = r.active_days;
    refused(r);
    r = good;
    r.to_us = r.from_us + int64_t{1101} * 86'400'000'000;  // 1,101 days
    refused(r);
    r.granularity = Granularity::week;  // 158 weeks
    EXPECT_NO_THROW(core::report::validate(r));
    EXPECT_THROW(core::report::parse_granularity("year"), std::invalid_argument);
    EXPECT_EQ(core::report::parse_granularity("month"), Granularity::month);
    EXPECT_EQ(core::report::names().size(), 6u);
}

}  // namespace
}  // namespace sightline::reporttest
