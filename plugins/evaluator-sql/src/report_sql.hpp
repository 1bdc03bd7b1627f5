// What differs between the dialects in the reports' SQL (report_totals.cpp): parameter
// placeholders and encodings, reading sums of money, the UTC day of a stored timestamp, splitting
// category paths into their ancestors, and the plan hints. The stored layouts are the targets'
// (target-sqlite: ts in µs and price in millionths as integers; target-postgres and
// target-greenplum: timestamptz and numeric(18,6)).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sightline/plugin/report.hpp"
#include "sightline/plugin/target.hpp"
#include "sql_compiler.hpp"

namespace sightline::evaluator_sql {

// A report statement being written, with its bound parameters in the dialect's encoding.
class ReportStatement {
public:
    explicit ReportStatement(Dialect dialect) : dialect_(dialect) {}
    Dialect dialect() const { return dialect_; }
    // A placeholder for an instant: µs on SQLite, timestamptz text on the PostgreSQL family.
    std::string instant(int64_t us);
    void run(plugin::TenantStore& store, const std::string& sql,
             const std::function<void(const plugin::SqlRow&)>& row) const;

private:
    Dialect dialect_;
    std::vector<Param> params_;
};

// A sum of prices read from a result column: millionths on SQLite, numeric text on the
// PostgreSQL family (whose sums do not fit int64 millionths in every case). NULL (a sum over no
// rows) is 0. Throws plugin::Error for text that is not a numeric(…, 6).
plugin::report::Money read_money(const plugin::SqlRow& row, size_t column, Dialect dialect);

// The SQL expression of the UTC day number (days since 1970-01-01, floored) of a stored
// timestamp expression.
std::string day_expression(Dialect dialect, const std::string& ts);

// The (item, category) pairs of the catalog, each category path and every ancestor of it, each
// pair once, as a subquery.
std::string item_categories_sql(Dialect dialect);

// The lines table for the whole-history scans (orders, lifecycle). SQLite without statistics
// walks an index for a condition nearly every line meets, with a table lookup per line; a plain
// scan and a sort is several times faster there (NOT INDEXED). The PostgreSQL family plans with
// statistics.
std::string all_lines(Dialect dialect);

// On the PostgreSQL family, an item key that no index orders: left to itself the planner reads
// the lines in item order through the item index, one random heap page per line (about 4 s for
// all of a 1M-line tenant); through this expression it scans the time range and sorts or hashes
// instead, about twice as fast for the whole history and no slower for a year. Appending ''
// leaves every value, and so the grouping and the join, unchanged. SQLite: the column itself.
std::string unindexed_item(Dialect dialect, const std::string& column);

}  // namespace sightline::evaluator_sql
