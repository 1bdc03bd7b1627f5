// The reports engine's parts (report.hpp is the interface): the calendar of periods, the
// evaluator's totals taken in and checked, and their JSON shaping. Money stays in exact
// millionths (__int128 for sums) from the evaluator to the JSON text.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sightline/core/report.hpp"
#include "sightline/plugin/evaluator.hpp"
#include "sightline/plugin/report.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::core::report {

constexpr int64_t kMicrosPerDay = 86'400'000'000;

// --- calendar (report_calendar.cpp) -----------------------------------------------------------
// Days are counted from 1970-01-01 (day 0), UTC, proleptic Gregorian.
int64_t day_of(int64_t us);  // floor division: instants before 1970 too
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);
void civil_from_days(int64_t days, int64_t& year, unsigned& month, unsigned& day);
// The first day of the period (of the granularity) that contains the day.
int64_t period_start(int64_t day, Granularity g);
int64_t next_period(int64_t start, Granularity g);
std::string date_text(int64_t day);                      // 2026-01-05
std::string period_label(int64_t start, Granularity g);  // 2026-01-05, 2026-W02, 2026-01
// The starts of the periods that meet [from, to), in order.
std::vector<int64_t> periods(const Request& request);

// --- totals from the evaluator (report_totals.cpp) --------------------------------------------
struct LineTotals {
    __int128 gross = 0, returned = 0;  // sum of positive prices, minus the sum of negative ones
    int64_t lines = 0, return_lines = 0;
};
struct OrderTotals {
    int64_t orders = 0;
    __int128 value = 0;  // sum of the purchases' net totals
};
using Ranked = plugin::report::Ranked;
constexpr int kStages = plugin::report::kStageCount;  // none, first_time_buyer, active, ...
using StageMatrix = plugin::report::StageMatrix;      // [at from][at to]

// The evaluator's totals for the parts asked (plugin::report::Part bits), checked: days inside
// the range, each once; counts and sums not negative where the definitions make them so.
// Throws plugin::Error naming the evaluator otherwise.
struct Totals {
    std::map<int64_t, LineTotals> lines;    // by UTC day
    std::map<int64_t, OrderTotals> orders;  // by UTC day
    StageMatrix stages{};
    std::vector<Ranked> items, categories;
};
Totals fetch_totals(plugin::Evaluator& evaluator, plugin::TenantStore& store,
                    const std::string& tenant, const Request& r, uint32_t parts);

// --- JSON (report_json.cpp) -------------------------------------------------------------------
// Exact division of non-negative integers, rounded half to even to `decimals` places (<= 6),
// as decimal text ("0" when the divisor is 0).
std::string divide(__int128 numerator, __int128 divisor, int decimals);
std::string money(__int128 millionths);

nlohmann::json revenue_json(const Request& r, const std::map<int64_t, LineTotals>& lines,
                            const std::map<int64_t, OrderTotals>& orders);
nlohmann::json returns_json(const Request& r, const std::map<int64_t, LineTotals>& lines);
nlohmann::json lifecycle_json(const Request& r, const StageMatrix& m);
nlohmann::json top_json(const Request& r, const char* report, const char* key,
                        std::vector<Ranked> rows);
nlohmann::json envelope(const Request& r, const std::string& name);

}  // namespace sightline::core::report
