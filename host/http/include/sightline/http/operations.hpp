// Everything the internal `api:` listener serves besides the Segmentation API: health,
// readiness and metrics (health_api.hpp) and the operators' console (console.hpp). One call for
// `sightline serve`; the reports listener's routes are in report_api.hpp.
#pragma once

#include "sightline/core/operators.hpp"
#include "sightline/core/profile.hpp"
#include "sightline/core/runtime.hpp"
#include "sightline/http/console.hpp"
#include "sightline/http/health_api.hpp"
#include "sightline/http/report_api.hpp"
#include "sightline/http/router.hpp"

namespace sightline::http {

// /healthz, /readyz, /metrics (no token) and /console/... (operator sessions), with the
// listener's settings (min_free_bytes, tls).
inline void add_operations_routes(Router& router, core::Runtime& runtime,
                                  core::OperatorRegistry& operators, const core::ApiSettings& api) {
    HealthOptions health;
    health.min_free_bytes = static_cast<uint64_t>(api.min_free_bytes);
    add_health_routes(router, runtime, health);
    ConsoleOptions console;
    console.tls = api.tls;
    add_console_routes(router, runtime, operators, console);
}

}  // namespace sightline::http
