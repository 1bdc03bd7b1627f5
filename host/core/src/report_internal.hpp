// The reports engine's parts (report.hpp is the interface): the calendar of periods, the SQL of
// each dialect, the queries' raw aggregates and their JSON shaping. Money stays in exact
// millionths (__int128 for sums) from the database to the JSON text.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sightline/core/report.hpp"
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

// --- SQL (report_sql.cpp) ---------------------------------------------------------------------
enum class Dialect { sqlite, postgresql, greenplum };
Dialect dialect_named(const std::string& name);  // throws std::invalid_argument

// A statement being written, with its bound parameters in the dialect's encoding.
class Statement {
public:
    explicit Statement(Dialect d) : dialect_(d) {}
    bool sqlite() const { return dialect_ == Dialect::sqlite; }
    // A placeholder for an instant: µs on SQLite, timestamptz text on the PostgreSQL family.
    std::string instant(int64_t us);
    void run(plugin::TenantStore& store, const std::string& sql,
             const std::function<void(const plugin::SqlRow&)>& row) const;

private:
    Dialect dialect_;
    std::vector<int64_t> numbers_;
    std::vector<std::string> texts_;  // "" for a number parameter
};

// A sum of prices read from a result column: millionths on SQLite, numeric text on the
// PostgreSQL family (whose sums do not fit int64 millionths in every case).
__int128 read_money(const plugin::SqlRow& row, size_t column, bool sqlite);
// The SQL expression of the UTC day number of a stored timestamp expression.
std::string day_expression(Dialect d, const std::string& ts);
// The (item, category) pairs of the catalog, each category path and every ancestor of it, each
// pair once, as a subquery.
std::string item_categories_sql(Dialect d);

// --- raw aggregates (report_queries.cpp) ------------------------------------------------------
struct LineTotals {
    __int128 gross = 0, returned = 0;  // sum of positive prices, minus the sum of negative ones
    int64_t lines = 0, return_lines = 0;
};
struct OrderTotals {
    int64_t orders = 0;
    __int128 value = 0;  // sum of the purchases' net totals
};
struct Ranked {
    std::string name;
    __int128 revenue = 0;
    int64_t buyers = 0;
};
constexpr int kStages = 5;  // none, first_time_buyer, active, defecting, inactive
using StageMatrix = std::array<std::array<int64_t, kStages>, kStages>;  // [at from][at to]

std::map<int64_t, LineTotals> lines_by_day(plugin::TenantStore& s, Dialect d, const Request& r);
std::map<int64_t, OrderTotals> orders_by_day(plugin::TenantStore& s, Dialect d, const Request& r);
StageMatrix stage_matrix(plugin::TenantStore& s, Dialect d, const Request& r);
std::vector<Ranked> items(plugin::TenantStore& s, Dialect d, const Request& r);
std::vector<Ranked> categories(plugin::TenantStore& s, Dialect d, const Request& r);

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
