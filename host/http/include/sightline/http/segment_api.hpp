// The Segmentation API (docs/api.md, docs/openapi.yaml) over core::SegmentService: segment CRUD
// and versions, evaluation (paged, streamed when large), counts, membership and previews.
#pragma once

#include "sightline/core/runtime.hpp"
#include "sightline/core/segment_service.hpp"
#include "sightline/http/router.hpp"

namespace sightline::http {

// Evaluations with more ids than this are sent with chunked transfer encoding.
constexpr size_t kStreamThreshold = 10'000;
// The largest page a caller may ask for with ?limit=.
constexpr size_t kMaxPageSize = 100'000;

void add_segment_routes(Router& router, core::SegmentService& service, core::Runtime& runtime);

}  // namespace sightline::http
