// Report totals (API 1.5): the exact aggregates an evaluator computes for the reports of
// docs/reports.md. The host's report module turns them into periods, divisions, rankings and
// JSON, the same way for every evaluator, so every evaluator gives byte-identical reports.
// Words (line in the range, order, net total, purchase, stage) as in docs/reports.md.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace sightline::plugin::report {

// Money in millionths. Sums of prices can exceed int64 (2^63 millionths is 9.2 * 10^12
// currency units); 128 bits cannot overflow for any number of stored lines.
__extension__ typedef __int128 Money;

// Which totals a request wants (bits of Request::parts); an evaluator may leave the others empty.
enum Part : uint32_t {
    kLines = 1u << 0,       // Totals::lines
    kOrders = 1u << 1,      // Totals::orders
    kStages = 1u << 2,      // Totals::stages
    kItems = 1u << 3,       // Totals::items
    kCategories = 1u << 4,  // Totals::categories
};

struct Request {
    std::string tenant;
    int64_t from_us = 0, to_us = 0;  // the range, half-open [from, to), UTC µs; from < to
    // The tenant's lifecycle thresholds: 1 <= active_days < inactive_days.
    int64_t active_days = 90, inactive_days = 365;
    uint32_t parts = 0;  // Part bits
};

// UTC days are counted from 1970-01-01 (day 0), flooring: day = floor(timestamp / 86400 s).
struct DayLines {  // the lines in the range with a timestamp on this day
    int64_t day = 0;
    Money gross = 0;     // sum of the positive prices
    Money returned = 0;  // minus the sum of the negative prices (>= 0)
    int64_t lines = 0;
    int64_t return_lines = 0;  // lines with price < 0
};

struct DayOrders {  // the purchases as of to - 1 µs whose time is on this day and in the range
    int64_t day = 0;
    int64_t orders = 0;
    Money value = 0;  // sum of their net totals over the lines before `to`
};

struct Ranked {  // an item or a category, over the lines in the range
    std::string name;
    Money revenue = 0;   // sum of price, returns included
    int64_t buyers = 0;  // distinct customers with a line of it with price > 0
};

// Stage codes: 0 none (no purchase), 1 first_time_buyer, 2 active, 3 defecting, 4 inactive.
constexpr int kStageCount = 5;
// [stage at from][stage at to], counting every customer with a line at or before `to` once.
using StageMatrix = std::array<std::array<int64_t, kStageCount>, kStageCount>;

struct Totals {
    std::vector<DayLines> lines;    // kLines: every day with a line in the range, ascending
    std::vector<DayOrders> orders;  // kOrders: every day with a purchase, ascending
    StageMatrix stages{};           // kStages
    // kItems: every item with a line in the range, in any order. kCategories: every category
    // (each path of an item's catalog category cell and every ancestor of it, once per line)
    // with a line in the range, in any order; items missing from the catalog are in none.
    std::vector<Ranked> items, categories;
};

}  // namespace sightline::plugin::report
