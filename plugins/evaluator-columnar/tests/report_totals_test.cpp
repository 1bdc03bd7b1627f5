// Report totals from a snapshot against totals computed by hand (docs/reports.md, Definitions):
// lines in the range by day, purchases as of to - 1 µs by day, the stage matrix (lines at or
// before from and to), items and categories with ancestors counted once per line.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "columnar_evaluator.hpp"
#include "fake_store.hpp"

namespace sightline::evaluator_columnar::testing {
namespace {

namespace rp = sightline::plugin::report;

constexpr int64_t M = 1'000'000;  // one currency unit in millionths
const int64_t kFromDay = kBase / kDay;

class ReportTotals : public ::testing::Test {
protected:
    ReportTotals() {
        data_.set_catalog({{"x", "Shoes>Running"},
                           {"x", "Sale"},
                           {"y", "Shoes>Trail"},
                           {"w", "Shoes>Running"},
                           {"w", "Shoes>Trail"}});
        data_.load({
            line(1, "A", kBase + kDay, "x", 10 * M), line(1, "A", kBase + kDay, "y", 5 * M),
            line(1, "A", kBase + 12 * kDay, "x", -10 * M),  // after `to`: changes nothing
            line(1, "B", kBase + 5 * kDay, "z", 3 * M),
            line(1, "B", kBase + 6 * kDay, "z", -3 * M),    // net 0: no purchase
            line(2, "C", kBase - 100 * kDay, "x", 20 * M),  // before the range
            line(2, "D", kBase + 3 * kDay, "y", 8 * M),
            line(3, "E", kBase + 4 * kDay, "x", -2 * M),  // a return only
            line(3, "H", kBase + 7 * kDay, "w", 4 * M),
            line(4, "G", kBase + 10 * kDay, "x", 7 * M),  // at `to`: not in the range
        });
    }

    rp::Totals totals(uint32_t parts) {
        rp::Request r;
        r.tenant = "acme";
        r.from_us = kBase;
        r.to_us = kBase + 10 * kDay;
        r.active_days = 30;
        r.inactive_days = 60;
        r.parts = parts;
        auto store = data_.open();
        return evaluator_.report_totals(r, *store);
    }

    static std::map<std::string, std::pair<int64_t, int64_t>> by_name(
        const std::vector<rp::Ranked>& ranked) {
        std::map<std::string, std::pair<int64_t, int64_t>> out;
        for (const auto& r : ranked) out[r.name] = {static_cast<int64_t>(r.revenue / M), r.buyers};
        return out;
    }

    FakeData data_;
    ColumnarEvaluator evaluator_{ColumnarConfig{}, nullptr};
};

TEST_F(ReportTotals, LinesByDay) {
    const rp::Totals t = totals(rp::kLines);
    struct Want {
        int64_t day, gross, returned, lines, return_lines;
    };
    const std::vector<Want> want = {{kFromDay + 1, 15, 0, 2, 0}, {kFromDay + 3, 8, 0, 1, 0},
                                    {kFromDay + 4, 0, 2, 1, 1},  {kFromDay + 5, 3, 0, 1, 0},
                                    {kFromDay + 6, 0, 3, 1, 1},  {kFromDay + 7, 4, 0, 1, 0}};
    ASSERT_EQ(t.lines.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ(t.lines[i].day, want[i].day) << i;
        EXPECT_EQ(t.lines[i].gross, rp::Money(want[i].gross * M)) << i;
        EXPECT_EQ(t.lines[i].returned, rp::Money(want[i].returned * M)) << i;
        EXPECT_EQ(t.lines[i].lines, want[i].lines) << i;
        EXPECT_EQ(t.lines[i].return_lines, want[i].return_lines) << i;
    }
    EXPECT_TRUE(t.orders.empty() && t.items.empty()) << "only the parts asked for";
}

TEST_F(ReportTotals, PurchasesByDayAsOfTheLastInstant) {
    const rp::Totals t = totals(rp::kOrders);
    ASSERT_EQ(t.orders.size(), 3u);
    EXPECT_EQ(t.orders[0].day, kFromDay + 1);  // A: net 15 (its refund is after `to`)
    EXPECT_EQ(t.orders[0].orders, 1);
    EXPECT_EQ(t.orders[0].value, rp::Money(15 * M));
    EXPECT_EQ(t.orders[1].day, kFromDay + 3);  // D
    EXPECT_EQ(t.orders[1].value, rp::Money(8 * M));
    EXPECT_EQ(t.orders[2].day, kFromDay + 7);  // H
    EXPECT_EQ(t.orders[2].value, rp::Money(4 * M));
}

TEST_F(ReportTotals, StageMatrix) {
    const rp::Totals t = totals(rp::kStages);
    rp::StageMatrix want{};
    want[0][1] = 3;  // customers 1, 3 and 4 (G at `to` counts as of `to`): none -> first time
    want[4][2] = 1;  // customer 2: inactive at from (C 100 days before), active at to
    EXPECT_EQ(t.stages, want);
}

TEST_F(ReportTotals, ItemsAndCategoriesWithAncestorsOnce) {
    const rp::Totals t = totals(rp::kItems | rp::kCategories);
    using P = std::pair<int64_t, int64_t>;
    const std::map<std::string, P> items = {
        {"x", {8, 1}}, {"y", {13, 2}}, {"z", {0, 1}}, {"w", {4, 1}}};
    EXPECT_EQ(by_name(t.items), items);
    const std::map<std::string, P> categories = {
        {"Shoes", {25, 3}}, {"Shoes>Running", {12, 2}}, {"Shoes>Trail", {17, 3}}, {"Sale", {8, 1}}};
    EXPECT_EQ(by_name(t.categories), categories);
}

TEST_F(ReportTotals, AnEmptyRangeHasNoLines) {
    rp::Request r;
    r.tenant = "acme";
    r.from_us = kBase - 50 * kDay;
    r.to_us = kBase - 40 * kDay;
    r.parts = rp::kLines | rp::kOrders | rp::kItems | rp::kStages;
    auto store = data_.open();
    const rp::Totals t = evaluator_.report_totals(r, *store);
    EXPECT_TRUE(t.lines.empty());
    EXPECT_TRUE(t.orders.empty());
    EXPECT_TRUE(t.items.empty());
    rp::StageMatrix want{};
    want[1][1] = 1;  // customer 2 only: C (100 days before kBase) is recent by the default 90
    EXPECT_EQ(t.stages, want);
}

}  // namespace
}  // namespace sightline::evaluator_columnar::testing
