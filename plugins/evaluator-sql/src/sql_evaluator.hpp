// The evaluator: detects the store's dialect, compiles the rule to one statement, runs it.
#pragma once

#include "sightline/plugin/evaluator.hpp"

namespace sightline::evaluator_sql {

class SqlEvaluator final : public plugin::Evaluator {
public:
    bool supports(const std::string& dialect) const override;
    // Stateless: safe from several threads at once, each with its own store.
    plugin::EvaluationResult evaluate(const plugin::EvaluationRequest& request,
                                      plugin::TenantStore& store) override;
};

}  // namespace sightline::evaluator_sql
