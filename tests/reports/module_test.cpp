// The host's report module with a scripted evaluator (no target, no SQL): each report asks for
// exactly the totals it needs, in one call, with the request's range, thresholds and tenant; the
// evaluator's totals become the report's JSON; a malformed answer is refused, never shaped.
#include <gtest/gtest.h>

#include "sightline/core/report.hpp"
#include "sightline/core/timestamp.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::reporttest {
namespace {

namespace rp = plugin::report;
using core::report::Granularity;

// A store the scripted evaluator never touches.
class UnusedStore : public plugin::TenantStore {
public:
    std::optional<plugin::FileRecord> find_loaded(const std::string&) override { fail(); }
    std::unique_ptr<plugin::LoadTransaction> begin_load(const plugin::LoadSpec&) override {
        fail();
    }
    void record(const plugin::FileRecord&) override { fail(); }
    std::vector<plugin::FileRecord> history() override { fail(); }
    plugin::TenantStats stats() override { fail(); }
    std::vector<plugin::Column> custom_columns() override { fail(); }
    void scan_sales(const std::function<void(const plugin::Value*)>&) override { fail(); }
    void query(const std::string&, const std::vector<plugin::Value>&,
               const std::function<void(const plugin::SqlRow&)>&) override {
        fail();
    }

private:
    [[noreturn]] static void fail() { throw std::logic_error("the report module read the store"); }
};

class ScriptedEvaluator : public plugin::Evaluator {
public:
    bool supports(const std::string&) const override { return true; }
    plugin::EvaluationResult evaluate(const plugin::EvaluationRequest&,
                                      plugin::TenantStore&) override {
        return {};
    }
    bool computes_reports() const override { return true; }
    rp::Totals report_totals(const rp::Request& request, plugin::TenantStore&) override {
        requests.push_back(request);
        return answer;
    }

    std::vector<rp::Request> requests;
    rp::Totals answer;
};

int64_t at(const char* text) {
    std::string reason;
    return *core::parse_timestamp(text, reason);
}
constexpr int64_t kDay = 86'400'000'000;

core::report::Request march() {
    core::report::Request r;
    r.from_us = at("2026-03-01");
    r.to_us = at("2026-03-15");
    r.granularity = Granularity::week;
    r.top = 2;
    r.active_days = 30;
    r.inactive_days = 200;
    return r;
}

TEST(ReportModule, AsksForExactlyThePartsEachReportNeeds) {
    const std::map<std::string, uint32_t> expected = {
        {"revenue", rp::kLines | rp::kOrders},
        {"returns", rp::kLines},
        {"lifecycle", rp::kStages},
        {"top-items", rp::kItems},
        {"top-categories", rp::kCategories},
        {"summary", rp::kLines | rp::kOrders | rp::kStages | rp::kItems | rp::kCategories}};
    UnusedStore store;
    for (const auto& [name, parts] : expected) {
        ScriptedEvaluator evaluator;
        core::report::run(evaluator, store, "acme", name, march());
        ASSERT_EQ(evaluator.requests.size(), 1u) << name;  // one call, summary included
        const rp::Request& r = evaluator.requests[0];
        EXPECT_EQ(r.parts, parts) << name;
        EXPECT_EQ(r.tenant, "acme");
        EXPECT_EQ(r.from_us, march().from_us);
        EXPECT_EQ(r.to_us, march().to_us);
        EXPECT_EQ(r.active_days, 30);
        EXPECT_EQ(r.inactive_days, 200);
    }
    ScriptedEvaluator evaluator;
    EXPECT_THROW(core::report::run(evaluator, store, "acme", "nope", march()),
                 std::invalid_argument);
    core::report::Request bad = march();
    bad.top = 0;
    EXPECT_THROW(core::report::run(evaluator, store, "acme", "revenue", bad),
                 std::invalid_argument);
    EXPECT_TRUE(evaluator.requests.empty());  // refused before asking
}

TEST(ReportModule, ShapesTheTotalsIntoPeriodsRatiosAndRankings) {
    ScriptedEvaluator evaluator;
    UnusedStore store;
    const int64_t first = at("2026-03-01") / kDay;
    // Sunday 1 March is in ISO week 9, 10 March in week 11.
    evaluator.answer.lines = {{first, 50'000'000, 0, 2, 0},
                              {first + 9, 35'000'000, 5'000'000, 4, 1}};
    evaluator.answer.orders = {{first, 1, 50'000'000}, {first + 9, 2, 30'000'000}};
    // Ties by revenue break by byte order ("B" < "a"); by buyers, then revenue.
    evaluator.answer.items = {{"a", 10'000'000, 1}, {"B", 10'000'000, 3}, {"c", 40'000'000, 2}};
    const auto revenue = core::report::run(evaluator, store, "t", "revenue", march());
    ASSERT_EQ(revenue["periods"].size(), 3u);
    EXPECT_EQ(revenue["periods"][0]["label"], "2026-W09");
    EXPECT_EQ(revenue["periods"][1]["orders"], 0);
    EXPECT_EQ(revenue["periods"][2]["revenue"], "30");
    EXPECT_EQ(revenue["periods"][2]["aov"], "15");
    EXPECT_EQ(revenue["totals"]["aov"], "26.67");
    const auto returns = core::report::run(evaluator, store, "t", "returns", march());
    EXPECT_EQ(returns["totals"]["share"], "0.058824");  // 5 / 85
    const auto items = core::report::run(evaluator, store, "t", "top-items", march());
    EXPECT_EQ(items["by_revenue"][0]["item"], "c");
    EXPECT_EQ(items["by_revenue"][1]["item"], "B");
    EXPECT_EQ(items["by_revenue"].size(), 2u);  // top 2
    EXPECT_EQ(items["by_buyers"][0]["item"], "B");
}

TEST(ReportModule, RefusesMalformedTotals) {
    UnusedStore store;
    const int64_t first = at("2026-03-01") / kDay;
    auto refused = [&](const char* name, rp::Totals answer) {
        ScriptedEvaluator evaluator;
        evaluator.answer = std::move(answer);
        EXPECT_THROW(core::report::run(evaluator, store, "t", name, march()), plugin::Error)
            << name;
    };
    rp::Totals t;
    t.lines = {{first - 1, 1, 0, 1, 0}};  // the day before the range
    refused("returns", t);
    t.lines = {{first + 14, 1, 0, 1, 0}};  // `to` itself is outside
    refused("returns", t);
    t.lines = {{first + 2, 1, 0, 1, 0}, {first + 1, 1, 0, 1, 0}};  // not ascending
    refused("returns", t);
    t.lines = {{first, 1, 0, 1, 0}, {first, 1, 0, 1, 0}};  // a day twice
    refused("returns", t);
    t.lines = {{first, 1, 0, 1, 2}};  // more return lines than lines
    refused("returns", t);
    rp::Totals o;
    o.orders = {{first + 20, 1, 1}};
    refused("revenue", o);
    rp::Totals s;
    s.stages[1][2] = -1;
    refused("lifecycle", s);
    rp::Totals i;
    i.items = {{"x", 1, -1}};
    refused("top-items", i);
    // The parts a report did not ask for are not looked at.
    ScriptedEvaluator evaluator;
    evaluator.answer.lines = {{first - 1, 1, 0, 1, 0}};
    EXPECT_NO_THROW(core::report::run(evaluator, store, "t", "lifecycle", march()));
}

}  // namespace
}  // namespace sightline::reporttest
