// The internal web console (docs/console.md): embedded static pages under /console/, operator
// login with a session cookie, and the JSON the pages draw (jobs, failures, tenant volumes,
// segment sizes, reports). Mounted on the internal `api:` listener, behind its allow-list.
#pragma once

#include "sightline/core/operators.hpp"
#include "sightline/core/runtime.hpp"
#include "sightline/http/router.hpp"

namespace sightline::http {

struct ConsoleOptions {
    bool tls = false;   // the listener's TLS: session cookies are then `Secure`
    core::Clock clock;  // empty: the runtime's clock (session timeouts, login throttle)
};

void add_console_routes(Router& router, core::Runtime& runtime, core::OperatorRegistry& operators,
                        ConsoleOptions options = {});

}  // namespace sightline::http
