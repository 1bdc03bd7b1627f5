// The report totals of API 1.5 (sightline/plugin/report.hpp) computed straight from one scan of
// the tenant's lines and one read of the catalog, following docs/reports.md sentence by sentence
// rather than any query plan: the oracle the other evaluators' totals are tested against.
#pragma once

#include "sightline/plugin/report.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::evaluator_memory {

// Fills only the parts request.parts asks for (the catalog is read only for kCategories). Throws
// plugin::Error when the store fails.
plugin::report::Totals compute_report_totals(const plugin::report::Request& request,
                                             plugin::TenantStore& store);

}  // namespace sightline::evaluator_memory
