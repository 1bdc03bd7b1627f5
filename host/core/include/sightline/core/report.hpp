// Reports per tenant over a date range (docs/reports.md): revenue and orders per period, average
// order value, lifecycle stages and their transitions, top items and categories, returns share.
// The evaluator computes exact totals (Evaluator::report_totals, API 1.5: sums and counts per
// day, item, category and lifecycle transition); this module holds the one copy of the periods,
// divisions, rounding, ranking and JSON, so that every evaluator on every target gives the same
// JSON for the same data. No SQL here: the host never reads a target's tables.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sightline/plugin/evaluator.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::core::report {

enum class Granularity { day, week, month };  // week = ISO week starting Monday, UTC

struct Request {
    int64_t from_us = 0, to_us = 0;  // half-open [from, to), UTC microseconds
    Granularity granularity = Granularity::day;
    int top = 10;                               // rows in top lists (1..100)
    int active_days = 90, inactive_days = 365;  // the tenant's lifecycle thresholds
};

// Report names: "revenue", "lifecycle", "top-items", "top-categories", "returns", "summary"
// ("summary" = all of them in one object), in this order.
const std::vector<std::string>& names();

// Runs one report: asks the evaluator (one that computes_reports(), chosen by the caller, e.g.
// with core::choose_evaluator(..., EvaluatorPurpose::reports)) for exactly the totals the report
// needs, in one report_totals() call, and shapes them. Throws std::invalid_argument for an
// unknown name or a bad request (see validate()), and plugin::Error when the evaluator or the
// target fails or the evaluator's totals are malformed (a day outside the range, say).
nlohmann::json run(plugin::Evaluator& evaluator, plugin::TenantStore& store,
                   const std::string& tenant, const std::string& name, const Request& request);

// The plugin::report::Part bits a report needs ("summary": all of them). Throws
// std::invalid_argument for an unknown name.
uint32_t parts_of(const std::string& name);

// Throws std::invalid_argument unless the request is valid: 0001-01-01 <= from < to <=
// 10000-01-01, at most 1,100 periods of the granularity (three years of days), top 1..100,
// 1 <= active_days < inactive_days <= 36,500 (the profile's own limits).
void validate(const Request& request);

// "day", "week" or "month"; throws std::invalid_argument otherwise.
Granularity parse_granularity(const std::string& text);
const char* to_string(Granularity granularity);

}  // namespace sightline::core::report
