// The evaluator plugin object: the segment language evaluated in this process over a scan of the
// tenant's lines (evaluation.hpp), whatever the target's dialect.
#pragma once

#include <string>

#include "sightline/plugin/evaluator.hpp"

namespace sightline::evaluator_memory {

class MemoryEvaluator : public plugin::Evaluator {
public:
    // True for every dialect, a third party's too: the evaluator reads the lines through
    // scan_sales and the catalog through scan_catalog (API 1.5; catalog.hpp).
    bool supports(const std::string& dialect) const override;
    // Stateless: safe from several threads at once, each with its own store.
    plugin::EvaluationResult evaluate(const plugin::EvaluationRequest& request,
                                      plugin::TenantStore& store) override;
    // Report totals straight from the lines (report_totals.hpp): the oracle of the reports.
    bool computes_reports() const override { return true; }
    plugin::report::Totals report_totals(const plugin::report::Request& request,
                                         plugin::TenantStore& store) override;
};

}  // namespace sightline::evaluator_memory
