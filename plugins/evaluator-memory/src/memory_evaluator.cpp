#include "memory_evaluator.hpp"

#include "evaluation.hpp"
#include "report_totals.hpp"

namespace sightline::evaluator_memory {

bool MemoryEvaluator::supports(const std::string& dialect) const {
    // Lines through scan_sales and the catalog through scan_catalog: no SQL of any dialect
    // (except the catalog of a target built before API 1.5, see catalog.hpp).
    (void)dialect;
    return true;
}

plugin::EvaluationResult MemoryEvaluator::evaluate(const plugin::EvaluationRequest& request,
                                                   plugin::TenantStore& store) {
    if (!request.rule) throw plugin::Error("evaluator-memory: the request has no rule");
    return evaluate_segment(request, store);
}

plugin::report::Totals MemoryEvaluator::report_totals(const plugin::report::Request& request,
                                                      plugin::TenantStore& store) {
    return compute_report_totals(request, store);
}

}  // namespace sightline::evaluator_memory
