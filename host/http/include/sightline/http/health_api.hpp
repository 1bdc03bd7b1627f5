// Monitoring endpoints of the internal listener (docs/api.md, "Health and metrics"): liveness,
// readiness and the Prometheus metrics. No bearer token: the listener's allow-list is what keeps
// them internal.
#pragma once

#include <chrono>
#include <cstdint>

#include "sightline/core/runtime.hpp"
#include "sightline/http/router.hpp"

namespace sightline::http {

struct HealthOptions {
    // /readyz fails when a watched folder's file system has less free space than this.
    uint64_t min_free_bytes = 1ULL << 30;
    // How long a readiness result is reused: a probe every second must not open a tenant's
    // database every second.
    std::chrono::milliseconds cache_for{5000};
};

// GET /healthz, GET /readyz, GET /metrics.
void add_health_routes(Router& router, core::Runtime& runtime, HealthOptions options = {});

}  // namespace sightline::http
