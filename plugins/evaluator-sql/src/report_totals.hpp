// The report totals of API 1.5 (sightline/plugin/report.hpp) as five queries in the store's own
// dialect, every value a bound parameter. Each returns raw exact aggregates (no customer id ever
// leaves the database), grouped by UTC day where a report has periods, so that the host sums
// days into weeks and months the same way for every evaluator. Definitions: docs/reports.md.
#pragma once

#include "sightline/plugin/report.hpp"
#include "sightline/plugin/target.hpp"
#include "sql_compiler.hpp"

namespace sightline::evaluator_sql {

// Runs only the queries of the parts request.parts asks for; the other parts stay empty.
plugin::report::Totals compute_report_totals(const plugin::report::Request& request,
                                             plugin::TenantStore& store, Dialect dialect);

}  // namespace sightline::evaluator_sql
