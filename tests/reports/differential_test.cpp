// Every report on generated data (the segment differential tests' generator: returns, zero-total
// orders, order ids shared between customers, ids near 2^64, lines on day and window edges)
// against reference_report.cpp, an independent computation from the stored lines, for every
// granularity and several ranges, on every available target, by every evaluator that computes
// reports: each gives the reference's JSON, and all of them the same bytes.
#include <gtest/gtest.h>

#include <algorithm>

#include "../segments/segment_data.hpp"
#include "reference_report.hpp"
#include "report_targets.hpp"
#include "sightline/core/report.hpp"
#include "sightline/core/timestamp.hpp"

// libpqxx 6.4 leaks a PGresult on a connection the server closed (see
// plugins/target-postgres/tests/live_support.cpp).
extern "C" const char* __lsan_default_suppressions() { return "leak:libpqxx-6.4.so\n"; }

namespace sightline::reporttest {
namespace {

using core::report::Granularity;
using core::report::Request;
using segtest::kBaseUs;
constexpr int64_t kDay = 86'400'000'000;

struct Range {
    int64_t from, to;
    int active_days = 90, inactive_days = 365, top = 5;
};

std::vector<Range> ranges(const segtest::Dataset& data) {
    std::vector<Range> out = {
        {kBaseUs - 800 * kDay, kBaseUs + 60 * kDay},  // nearly all the data
        {kBaseUs - 400 * kDay + 13 * 3'600'000'000, kBaseUs - 5 * kDay + 1, 30, 120, 100},
        {kBaseUs - 100 * kDay, kBaseUs},               // lines on window edges of both instants
        {kBaseUs + 100 * kDay, kBaseUs + 130 * kDay},  // no data at all
    };
    // Bounds on exact line times: the line at `from` is in, the one at `to` is out.
    if (data.line_times.size() >= 2) {
        const int64_t a = std::min(data.line_times[0], data.line_times[1]);
        const int64_t b = std::max(data.line_times[0], data.line_times[1]);
        if (a < b) out.push_back({a, b, 45, 200, 3});
    }
    return out;
}

class Differential : public ReportTarget {};

TEST_P(Differential, EveryReportMatchesTheReference) {
    const segtest::Dataset data = segtest::make_dataset(20261130, 400);
    load(data.catalog_csv, data.sales_csv);
    auto store = this->store();
    const TenantData tenant = read_tenant(*store);
    ASSERT_EQ(tenant.lines.size(), data.lines);
    // Agreement on empty reports would prove nothing: the data must give every report content.
    {
        const Range all = ranges(data).front();
        Request r;
        r.from_us = all.from;
        r.to_us = all.to;
        r.top = 5;
        const auto summary = reference(tenant, "summary", r);
        EXPECT_GT(summary["revenue"]["totals"]["orders"].get<int64_t>(), 500);
        EXPECT_GT(summary["returns"]["totals"]["return_lines"].get<int64_t>(), 50);
        EXPECT_EQ(summary["top-categories"]["by_buyers"].size(), 5u);
        int64_t moved = 0;
        for (const auto& [from, row] : summary["lifecycle"]["transitions"].items())
            for (const auto& [to, n] : row.items()) moved += from != to ? n.get<int64_t>() : 0;
        EXPECT_GT(moved, 100);
    }
    int compared = 0, failures = 0;
    for (const Range& range : ranges(data)) {
        for (Granularity g : {Granularity::day, Granularity::week, Granularity::month}) {
            Request r;
            r.from_us = range.from;
            r.to_us = range.to;
            r.granularity = g;
            r.top = range.top;
            r.active_days = range.active_days;
            r.inactive_days = range.inactive_days;
            for (const std::string& name : core::report::names()) {
                // The summary only repeats the others: once per range is enough.
                if (name == "summary" && g != Granularity::month) continue;
                const nlohmann::json expected = reference(tenant, name, r);
                std::string first_text, first_id;  // every evaluator's JSON, byte for byte
                for (const std::string& evaluator : evaluator_ids()) {
                    const nlohmann::json got = run(evaluator, name, r);
                    const std::string text = got.dump();
                    if (first_id.empty()) {
                        first_id = evaluator;
                        first_text = text;
                    }
                    ++compared;
                    if ((got == expected && text == first_text) || ++failures > 3) continue;
                    ADD_FAILURE() << name << " by " << evaluator << " (first: " << first_id << "), "
                                  << core::format_timestamp(r.from_us) << " to "
                                  << core::format_timestamp(r.to_us) << " by "
                                  << core::report::to_string(g) << "\n  got      "
                                  << text.substr(0, 3000) << "\n  expected "
                                  << expected.dump().substr(0, 3000);
                }
            }
        }
    }
    std::cout << "[ reports ] " << GetParam().name << ": " << data.lines << " lines, " << compared
              << " reports equal the reference (" << evaluator_ids().size() << " evaluators)\n";
}

INSTANTIATE_TEST_SUITE_P(Targets, Differential, ::testing::ValuesIn(target_cases()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace sightline::reporttest
