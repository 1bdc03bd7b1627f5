// The evaluator plugin object: segments and report totals over per-tenant resident snapshots
// (tenant_snapshots.hpp), for every target dialect (it reads through the plugin API only).
#pragma once

#include <string>

#include "config.hpp"
#include "sightline/plugin/evaluator.hpp"
#include "tenant_snapshots.hpp"

namespace sightline::evaluator_columnar {

class ColumnarEvaluator : public plugin::Evaluator {
public:
    // host may be null (tests): nothing logged or persisted.
    ColumnarEvaluator(ColumnarConfig config, plugin::HostServices* host);

    bool supports(const std::string& dialect) const override;
    // Safe from several threads at once, each with its own store.
    plugin::EvaluationResult evaluate(const plugin::EvaluationRequest& request,
                                      plugin::TenantStore& store) override;
    std::string declines(const std::string& tenant, plugin::TenantStore& store) override;
    bool computes_reports() const override { return true; }
    plugin::report::Totals report_totals(const plugin::report::Request& request,
                                         plugin::TenantStore& store) override;
    // Removes the tenant's snapshot file and resident snapshot (the next answer rebuilds).
    void data_removed(const std::string& tenant) override;

    TenantSnapshots& snapshots() { return snapshots_; }

private:
    TenantSnapshots snapshots_;
};

}  // namespace sightline::evaluator_columnar
