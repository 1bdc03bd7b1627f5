#include "sightline/core/evaluator_choice.hpp"

#include "sightline/core/runtime.hpp"
#include "sightline/core/segment_service.hpp"

namespace sightline::core {

namespace {

constexpr uint32_t kDeclineMinor = 5;  // declines, report_totals, data_removed

// Why this evaluator cannot answer at all ("" when it can), before asking it about the tenant.
std::string unsuitable(const Runtime::EvaluatorPlugin& e, const std::string& dialect,
                       EvaluatorPurpose purpose) {
    if (!e.evaluator->supports(dialect))
        return "does not support the target's dialect '" + dialect + "'";
    if (purpose == EvaluatorPurpose::reports &&
        (e.api_minor < kDeclineMinor || !e.evaluator->computes_reports()))
        return "does not compute reports";
    return "";
}

}  // namespace

ChosenEvaluator choose_evaluator(Runtime& runtime, const std::string& wanted,
                                 const std::string& dialect, const std::string& tenant,
                                 plugin::TenantStore& store, EvaluatorPurpose purpose) {
    const auto& all = runtime.evaluators();
    std::string reasons;
    bool named_found = false;
    for (const auto& e : all) {
        if (!wanted.empty() && e.id != wanted) continue;
        named_found = true;
        std::string why = unsuitable(e, dialect, purpose);
        if (why.empty() && e.api_minor >= kDeclineMinor) {
            why = e.evaluator->declines(tenant, store);
            if (!why.empty())
                runtime.log().event(plugin::LogLevel::info, "evaluator.declined",
                                    {{"tenant", tenant}, {"evaluator", e.id}, {"reason", why}});
        }
        if (why.empty()) return {e.id, e.evaluator, e.api_minor};
        reasons += (reasons.empty() ? "" : "; ") + e.id + " " + why;
    }
    if (!wanted.empty() && !named_found)
        throw SegmentError("no_evaluator",
                           "the profile has no evaluator '" + wanted + "' under evaluators:");
    if (all.empty())
        throw SegmentError("no_evaluator",
                           "the profile lists no evaluators: add evaluator-columnar, "
                           "evaluator-sql or evaluator-memory under evaluators:");
    throw SegmentError("no_evaluator",
                       "no evaluator answers for tenant '" + tenant + "': " + reasons);
}

void notify_data_removed(Runtime& runtime, const std::string& tenant) {
    for (const auto& e : runtime.evaluators()) {
        if (e.api_minor < kDeclineMinor) continue;
        try {
            e.evaluator->data_removed(tenant);
        } catch (const std::exception& error) {
            runtime.log().event(
                plugin::LogLevel::error, "evaluator.data_removed_failed",
                {{"tenant", tenant}, {"evaluator", e.id}, {"reason", error.what()}});
        }
    }
}

}  // namespace sightline::core
