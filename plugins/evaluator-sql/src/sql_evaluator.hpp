// The evaluator: detects the store's dialect, compiles the rule to one statement, runs it; and
// the report totals of API 1.5 as the report queries of that dialect (report_totals.hpp).
#pragma once

#include "sightline/plugin/evaluator.hpp"

namespace sightline::evaluator_sql {

class SqlEvaluator final : public plugin::Evaluator {
public:
    bool supports(const std::string& dialect) const override;
    // Stateless: safe from several threads at once, each with its own store.
    plugin::EvaluationResult evaluate(const plugin::EvaluationRequest& request,
                                      plugin::TenantStore& store) override;
    bool computes_reports() const override { return true; }
    // Only the queries of the parts asked for run. Stateless, like evaluate().
    plugin::report::Totals report_totals(const plugin::report::Request& request,
                                         plugin::TenantStore& store) override;
};

}  // namespace sightline::evaluator_sql
