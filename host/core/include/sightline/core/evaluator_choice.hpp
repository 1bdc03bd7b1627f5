// Which evaluator answers a tenant's question: the first of the profile's `evaluators:` (or the
// one named) that supports the target's dialect, can do what is asked (reports need API 1.5
// and computes_reports()), and does not decline the tenant (API 1.5, e.g. evaluator-columnar
// above its max_resident_lines). Each decline is logged with its reason.
#pragma once

#include <cstdint>
#include <string>

#include "sightline/plugin/evaluator.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::core {

class Runtime;

struct ChosenEvaluator {
    std::string id;
    plugin::Evaluator* evaluator = nullptr;
    uint32_t api_minor = 0;
};

enum class EvaluatorPurpose { segments, reports };

// Throws SegmentError("no_evaluator", reason) (segment_service.hpp) when none answers, naming
// why: none listed, the named one missing or unsuitable, every one declined (with reasons).
ChosenEvaluator choose_evaluator(Runtime& runtime, const std::string& wanted,
                                 const std::string& dialect, const std::string& tenant,
                                 plugin::TenantStore& store, EvaluatorPurpose purpose);

// After a change that removed lines of the tenant committed (a deletion, a full upload, a
// restore): tells every evaluator (API 1.5) so that none keeps removed lines on disk. Never
// throws: a failure is logged (evaluator.data_removed_failed) and the change stands.
void notify_data_removed(Runtime& runtime, const std::string& tenant);

}  // namespace sightline::core
