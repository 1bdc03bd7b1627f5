// Reports over HTTP (docs/api.md, "Reports for trusted hosts"): the report names and one report
// per tenant and date range, as core::report::run computes them from an evaluator's totals.
// Mounted on the mutual-TLS `reports:` listener; the console and `sightline report` reuse
// serve_report().
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sightline/core/report.hpp"
#include "sightline/core/runtime.hpp"
#include "sightline/http/router.hpp"

namespace sightline::http {

// GET /v1/tenants/{tenant}/reports and GET /v1/tenants/{tenant}/reports/{name}.
void add_report_routes(Router& router, core::Runtime& runtime);

// The report request of a query string (from, to: YYYY-MM-DD, `to` included; granularity; top)
// with the tenant's lifecycle thresholds. Throws ApiError 400 naming the parameter.
core::report::Request report_request(const std::map<std::string, std::string>& query,
                                     const core::TenantProfile& tenant);

// Runs the report with the tenant's evaluator (the named one, or the profile's first that
// computes reports and does not decline the tenant) and logs "report.served" (tenant, report,
// principal, peer, from, to, duration_ms, evaluator). Throws ApiError: 404 unknown_tenant /
// unknown_report, 400 invalid_report_request, 503 no_evaluator.
nlohmann::json serve_report(core::Runtime& runtime, const std::string& tenant,
                            const std::string& name, const core::report::Request& request,
                            const std::string& principal, const std::string& peer,
                            const std::string& evaluator = "");

}  // namespace sightline::http
