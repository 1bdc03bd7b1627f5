// Report totals against evaluator-memory's (the oracle, written from docs/reports.md) on random
// data over random ranges, every part, through a full build and after an extension.
#include <gtest/gtest.h>

#include <algorithm>

#include "columnar_evaluator.hpp"
#include "fake_store.hpp"
#include "sightline/plugin/report.hpp"

namespace sightline::evaluator_memory {
plugin::report::Totals compute_report_totals(const plugin::report::Request& request,
                                             plugin::TenantStore& store);
}

namespace sightline::evaluator_columnar::testing {
namespace {

namespace rp = sightline::plugin::report;

std::vector<rp::Ranked> by_name(std::vector<rp::Ranked> v) {
    std::sort(v.begin(), v.end(),
              [](const rp::Ranked& a, const rp::Ranked& b) { return a.name < b.name; });
    return v;
}

std::string describe(const rp::Totals& t) {
    std::string out = "lines:";
    for (const auto& d : t.lines)
        out += " " + std::to_string(d.day) + "/" + std::to_string(d.lines) + "/" +
               std::to_string(static_cast<int64_t>(d.gross)) + "/" +
               std::to_string(static_cast<int64_t>(d.returned)) + "/" +
               std::to_string(d.return_lines);
    out += "\norders:";
    for (const auto& d : t.orders)
        out += " " + std::to_string(d.day) + "/" + std::to_string(d.orders) + "/" +
               std::to_string(static_cast<int64_t>(d.value));
    out += "\nstages:";
    for (const auto& row : t.stages)
        for (int64_t n : row) out += " " + std::to_string(n);
    for (const auto* list : {&t.items, &t.categories}) {
        out += "\nranked:";
        for (const auto& r : by_name(*list))
            out += " " + r.name + "/" + std::to_string(static_cast<int64_t>(r.revenue)) + "/" +
                   std::to_string(r.buyers);
    }
    return out;
}

TEST(ReportAgreement, EveryPartOverRandomRanges) {
    FakeData data(generated_columns());
    data.set_catalog(random_catalog());
    std::mt19937_64 rng(77);
    data.load(random_lines(rng, 200));
    ColumnarEvaluator columnar({}, nullptr);
    int failures = 0, busy = 0;
    for (int round = 0; round < 2; ++round) {
        for (int i = 0; i < 150 && failures < 3; ++i) {
            rp::Request r;
            r.tenant = "acme";
            const int64_t day = kBase / kDay - static_cast<int64_t>(rng() % 760);
            // Day-aligned or not: ranges start anywhere.
            r.from_us = day * kDay + (rng() % 2 ? 0 : static_cast<int64_t>(rng() % kDay));
            r.to_us = r.from_us + 1 + static_cast<int64_t>(rng() % (400 * kDay));
            r.active_days = 1 + static_cast<int64_t>(rng() % 100);
            r.inactive_days = r.active_days + 1 + static_cast<int64_t>(rng() % 300);
            r.parts = rp::kLines | rp::kOrders | rp::kStages | rp::kItems | rp::kCategories;
            auto store = data.open();
            const std::string expected =
                describe(evaluator_memory::compute_report_totals(r, *store));
            const std::string got = describe(columnar.report_totals(r, *store));
            busy += expected.size() > 200 ? 1 : 0;
            if (got != expected) {
                ++failures;
                ADD_FAILURE() << "round " << round << " case " << i << " from " << r.from_us
                              << " to " << r.to_us << "\ncolumnar:\n"
                              << got << "\nmemory:\n"
                              << expected;
            }
        }
        data.load(random_lines(rng, 50, 1));  // more lines of the same customers: an extension
    }
    EXPECT_GT(busy, 200) << "most ranges should hold lines, orders and rankings";
}

}  // namespace
}  // namespace sightline::evaluator_columnar::testing
