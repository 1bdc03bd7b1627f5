// The segment language v1 (shared/specs/segments.md) over a Snapshot: each leaf rule is one pass
// over the columns it needs, restricted per customer to the lines of its window (a contiguous
// run of the customer's time-ordered lines, found by binary search), producing a Bitset over
// customer positions; all/any/not combine bitsets word by word. No per-line virtual calls or
// allocations. Semantics match evaluator-memory (the oracle) id for id.
#pragma once

#include <cstdint>
#include <vector>

#include "sightline/plugin/evaluator.hpp"
#include "snapshot.hpp"

namespace sightline::evaluator_columnar {

// Ascending customer ids of the request's rule at its as_of.
std::vector<uint64_t> evaluate_snapshot(const Snapshot& snapshot,
                                        const plugin::EvaluationRequest& request);

// Whether a catalog path equals `category` or lies below it (at a '>' boundary).
bool path_within(std::string_view path, std::string_view category);

}  // namespace sightline::evaluator_columnar
