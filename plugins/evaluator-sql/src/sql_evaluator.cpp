#include "sql_evaluator.hpp"

#include <algorithm>
#include <functional>

#include "dialect_probe.hpp"
#include "report_totals.hpp"
#include "sql_compiler.hpp"

namespace sightline::evaluator_sql {

bool SqlEvaluator::supports(const std::string& dialect) const {
    return dialect_named(dialect).has_value();
}

plugin::EvaluationResult SqlEvaluator::evaluate(const plugin::EvaluationRequest& request,
                                                plugin::TenantStore& store) {
    if (request.rule == nullptr) throw plugin::Error("evaluator-sql: no rule to evaluate");
    CompileInput input;
    input.dialect = detect_dialect(store);
    input.as_of_us = request.as_of_us;
    input.active_days = request.active_days;
    input.inactive_days = request.inactive_days;
    if (uses_fields(*request.rule)) input.custom_columns = store.custom_columns();

    const CompiledQuery query = compile(*request.rule, input);
    plugin::EvaluationResult result;
    result.warnings = query.warnings;
    if (query.sql.empty()) return result;
    store.query(query.sql, query.values(), [&](const plugin::SqlRow& row) {
        result.customers.push_back(decode_customer(input.dialect, row.get_int64(0)));
    });
    // The statement orders its rows; an order that is not strictly ascending would be a bug of
    // a target, not a reason to return something unsorted.
    auto& ids = result.customers;
    if (std::adjacent_find(ids.begin(), ids.end(), std::greater_equal<uint64_t>()) != ids.end()) {
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    }
    return result;
}

plugin::report::Totals SqlEvaluator::report_totals(const plugin::report::Request& request,
                                                   plugin::TenantStore& store) {
    return compute_report_totals(request, store, detect_dialect(store));
}

}  // namespace sightline::evaluator_sql
