// The segment language v1 (shared/specs/segments.md) evaluated directly from the spec, over one
// scan of the tenant's sales lines. This is the reference the SQL evaluator is tested against, so
// it follows the spec's sentences one by one rather than any query plan.
//
// Memory: one entry per order (customer, order id, net total, earliest time) and, per rule of the
// tree, per customer or per order; never per line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sightline/plugin/evaluator.hpp"
#include "sightline/plugin/segment.hpp"

namespace sightline::evaluator_memory {

// Whether one stored custom value satisfies a field condition. `column_type` is the column's
// type as the store reports it (string values in v.s, every other type in v.i); a missing value
// never matches.
bool field_matches(const plugin::segment::FieldCondition& condition, plugin::ValueType column_type,
                   const plugin::Value& v);

// Whether a catalog path equals `category` or lies below it (at a '>' boundary).
bool path_within(std::string_view path, std::string_view category);

plugin::EvaluationResult evaluate_segment(const plugin::EvaluationRequest& request,
                                          plugin::TenantStore& store);

}  // namespace sightline::evaluator_memory
