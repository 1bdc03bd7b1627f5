#include "columnar_evaluator.hpp"

#include "report_totals.hpp"
#include "snapshot_evaluation.hpp"

namespace sightline::evaluator_columnar {

ColumnarEvaluator::ColumnarEvaluator(ColumnarConfig config, plugin::HostServices* host)
    : snapshots_(std::move(config), host) {}

bool ColumnarEvaluator::supports(const std::string&) const { return true; }

plugin::EvaluationResult ColumnarEvaluator::evaluate(const plugin::EvaluationRequest& request,
                                                     plugin::TenantStore& store) {
    if (!request.rule) throw plugin::Error("evaluator-columnar: the request has no rule");
    const SnapshotPtr snapshot = snapshots_.current(request.tenant, store);
    plugin::EvaluationResult result;
    result.customers = evaluate_snapshot(*snapshot, request);
    return result;
}

std::string ColumnarEvaluator::declines(const std::string& tenant, plugin::TenantStore& store) {
    return snapshots_.declines(tenant, store);
}

void ColumnarEvaluator::data_removed(const std::string& tenant) { snapshots_.forget(tenant); }

plugin::report::Totals ColumnarEvaluator::report_totals(const plugin::report::Request& request,
                                                        plugin::TenantStore& store) {
    const SnapshotPtr snapshot = snapshots_.current(request.tenant, store);
    return compute_report_totals(*snapshot, request);
}

}  // namespace sightline::evaluator_columnar
