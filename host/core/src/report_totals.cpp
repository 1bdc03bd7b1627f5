// The evaluator's side of a report: one report_totals() call for the parts the report needs,
// and its answer checked and taken into per-day maps. A malformed answer (a day outside the
// range, a negative count) is the evaluator's bug: refused with plugin::Error rather than shaped
// into a wrong report.
#include <string>

#include "report_internal.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::core::report {

namespace {

namespace rp = plugin::report;

[[noreturn]] void malformed(const std::string& what) {
    throw plugin::Error("the evaluator's report totals are malformed: " + what);
}

void check_day(int64_t day, int64_t first, int64_t last, int64_t previous, bool has_previous,
               const char* part) {
    if (day < first || day > last)
        malformed(std::string(part) + " has day " + std::to_string(day) + " outside the range");
    if (has_previous && day <= previous)
        malformed(std::string(part) + " days are not ascending and unique");
}

void check_ranked(const std::vector<Ranked>& rows, const char* part) {
    for (const Ranked& r : rows)
        if (r.buyers < 0) malformed(std::string(part) + " has a negative buyer count");
}

}  // namespace

Totals fetch_totals(plugin::Evaluator& evaluator, plugin::TenantStore& store,
                    const std::string& tenant, const Request& r, uint32_t parts) {
    rp::Request request;
    request.tenant = tenant;
    request.from_us = r.from_us;
    request.to_us = r.to_us;
    request.active_days = r.active_days;
    request.inactive_days = r.inactive_days;
    request.parts = parts;
    rp::Totals got = evaluator.report_totals(request, store);

    const int64_t first = day_of(r.from_us), last = day_of(r.to_us - 1);
    Totals out;
    if (parts & rp::kLines) {
        for (size_t i = 0; i < got.lines.size(); ++i) {
            const rp::DayLines& d = got.lines[i];
            check_day(d.day, first, last, i ? got.lines[i - 1].day : 0, i > 0, "lines");
            if (d.gross < 0 || d.returned < 0 || d.lines < 0 || d.return_lines < 0 ||
                d.return_lines > d.lines)
                malformed("lines of day " + std::to_string(d.day) + " are negative");
            out.lines[d.day] = {d.gross, d.returned, d.lines, d.return_lines};
        }
    }
    if (parts & rp::kOrders) {
        for (size_t i = 0; i < got.orders.size(); ++i) {
            const rp::DayOrders& d = got.orders[i];
            check_day(d.day, first, last, i ? got.orders[i - 1].day : 0, i > 0, "orders");
            if (d.orders < 0) malformed("orders of day " + std::to_string(d.day) + " < 0");
            out.orders[d.day] = {d.orders, d.value};
        }
    }
    if (parts & rp::kStages) {
        for (const auto& row : got.stages)
            for (int64_t n : row)
                if (n < 0) malformed("a lifecycle transition count is negative");
        out.stages = got.stages;
    }
    if (parts & rp::kItems) {
        check_ranked(got.items, "items");
        out.items = std::move(got.items);
    }
    if (parts & rp::kCategories) {
        check_ranked(got.categories, "categories");
        out.categories = std::move(got.categories);
    }
    return out;
}

}  // namespace sightline::core::report
