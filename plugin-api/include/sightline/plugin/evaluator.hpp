// Kind "evaluator": computes the customers in a segment (language: shared/specs/segments.md).
// Changed in API 1.2 (before it, no evaluator plugin existed): the host hands over the parsed,
// normalised rule tree of segment.hpp instead of definition text, and refuses evaluator plugins
// built for an older minor.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sightline/plugin/api.hpp"
#include "sightline/plugin/report.hpp"
#include "sightline/plugin/segment.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::plugin {

struct EvaluationRequest {
    const segment::Rule* rule = nullptr;  // validated and normalised by the host; never null
    int64_t as_of_us = 0;                 // evaluation instant, UTC µs: later lines do not exist
    // Lifecycle thresholds of the tenant (profile: active_days, inactive_days).
    int64_t active_days = 90;
    int64_t inactive_days = 365;
    // API 1.5: the tenant the store belongs to (an evaluator keeping data per tenant keys on it).
    std::string tenant;
};

struct EvaluationResult {
    std::vector<uint64_t> customers;    // ascending, unique
    std::vector<std::string> warnings;  // evaluator-specific notes; the host adds the spec's
                                        // warnings (fields the tenant's data never had)
};

class Evaluator : public Plugin {
public:
    // Whether this evaluator can run against a target of this dialect (Target::dialect()).
    virtual bool supports(const std::string& dialect) const = 0;
    // A field the tenant's data never had matches no line (the host warns about it). Called
    // from several threads at once, each with its own store.
    virtual EvaluationResult evaluate(const EvaluationRequest& request, TenantStore& store) = 0;

    // --- API 1.5 (called only on evaluators built against 1.5 or later) ----------------------
    // Asked before evaluate() and report_totals() for a tenant: "" to answer, or the reason this
    // evaluator will not answer for this tenant now (too large to keep resident, say). The host
    // then asks the next evaluator of the profile and logs the reason. Called from several
    // threads at once.
    virtual std::string declines(const std::string& /*tenant*/, TenantStore& /*store*/) {
        return "";
    }
    // Whether report_totals() is implemented.
    virtual bool computes_reports() const { return false; }
    // The exact totals of report.hpp that request.parts asks for, over the store's data now.
    virtual report::Totals report_totals(const report::Request& /*request*/,
                                         TenantStore& /*store*/) {
        throw Error("this evaluator does not compute reports (API 1.5)");
    }
    // Called by the host, in the process that made the change, once a change that removed lines
    // of the tenant has committed: a deletion, a full upload, a restore that replaced the data.
    // An evaluator that keeps copies of tenants' data on disk removes (or replaces) the tenant's
    // copies now, so that no file keeps removed lines; copies in memory may stay until its next
    // answer, which compares data versions anyway. Must not throw for a tenant it holds nothing of.
    virtual void data_removed(const std::string& /*tenant*/) {}
};

}  // namespace sightline::plugin
