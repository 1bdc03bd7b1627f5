#include "sightline/http/report_api.hpp"

#include <algorithm>
#include <chrono>
#include <regex>

#include "sightline/core/evaluator_choice.hpp"
#include "sightline/core/segment_service.hpp"
#include "sightline/core/timestamp.hpp"

namespace sightline::http {

namespace {

constexpr int64_t kDayUs = 86'400'000'000;

// YYYY-MM-DD at midnight UTC; ApiError 400 naming the parameter otherwise.
int64_t date_param(const std::map<std::string, std::string>& query, const std::string& key) {
    static const std::regex pattern("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    const auto it = query.find(key);
    if (it == query.end())
        throw ApiError(400, "invalid_report_request", key + " (YYYY-MM-DD) is required",
                       {{key, "missing", "expected a date YYYY-MM-DD"}});
    std::string reason;
    std::optional<int64_t> at;
    if (std::regex_match(it->second, pattern)) at = core::parse_timestamp(it->second, reason);
    if (!at)
        throw ApiError(400, "invalid_report_request", key + " must be a date YYYY-MM-DD",
                       {{key, "invalid_date", reason.empty() ? "expected YYYY-MM-DD" : reason}});
    return *at;
}

void only_params(const std::map<std::string, std::string>& query,
                 std::initializer_list<const char*> allowed) {
    std::vector<ErrorDetail> details;
    for (const auto& [key, value] : query) {
        bool known = false;
        for (const char* a : allowed) known = known || key == a;
        if (!known) details.push_back({key, "unknown_parameter", "unknown query parameter"});
    }
    if (!details.empty()) {
        std::string list;
        for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
        throw ApiError(400, "unknown_parameter", "unknown query parameter; allowed here: " + list,
                       details);
    }
}

const core::TenantProfile& tenant_of(core::Runtime& runtime, const std::string& tenant) {
    const core::TenantProfile* t = runtime.profile().tenant(tenant);
    if (!t) throw ApiError(404, "unknown_tenant", "no such tenant");
    return *t;
}

std::string date_text(int64_t us) { return core::format_timestamp(us).substr(0, 10); }

}  // namespace

core::report::Request report_request(const std::map<std::string, std::string>& query,
                                     const core::TenantProfile& tenant) {
    core::report::Request r;
    r.from_us = date_param(query, "from");
    // `to` names the last day included: the report's range is [from, to + 1 day).
    r.to_us = date_param(query, "to") + kDayUs;
    if (auto it = query.find("granularity"); it != query.end()) {
        try {
            r.granularity = core::report::parse_granularity(it->second);
        } catch (const std::invalid_argument&) {
            throw ApiError(400, "invalid_report_request", "granularity is day, week or month",
                           {{"granularity", "invalid_value", "expected day, week or month"}});
        }
    }
    if (auto it = query.find("top"); it != query.end()) {
        const std::string& text = it->second;
        if (text.empty() || text.size() > 3 || text.find_first_not_of("0123456789") != text.npos)
            throw ApiError(400, "invalid_report_request", "top is an integer from 1 to 100",
                           {{"top", "out_of_range", "expected 1 to 100"}});
        r.top = std::stoi(text);
    }
    r.active_days = tenant.active_days;
    r.inactive_days = tenant.inactive_days;
    try {
        core::report::validate(r);
    } catch (const std::invalid_argument& e) {
        throw ApiError(400, "invalid_report_request", e.what());
    }
    return r;
}

nlohmann::json serve_report(core::Runtime& runtime, const std::string& tenant,
                            const std::string& name, const core::report::Request& request,
                            const std::string& principal, const std::string& peer,
                            const std::string& evaluator) {
    const auto& names = core::report::names();
    if (std::find(names.begin(), names.end(), name) == names.end())
        throw ApiError(404, "unknown_report", "no such report; see GET .../reports for the names");
    tenant_of(runtime, tenant);
    const auto started = std::chrono::steady_clock::now();
    plugin::Target& target = runtime.target();
    auto store = target.open(tenant);
    nlohmann::json out;
    std::string evaluator_id;
    try {
        // The first evaluator of the profile that computes reports for this tenant's target and
        // does not decline the tenant; none is a server-side condition, as for segments: 503.
        const core::ChosenEvaluator chosen = core::choose_evaluator(
            runtime, evaluator, target.dialect(), tenant, *store, core::EvaluatorPurpose::reports);
        evaluator_id = chosen.id;
        out = core::report::run(*chosen.evaluator, *store, tenant, name, request);
    } catch (const std::invalid_argument& e) {
        throw ApiError(400, "invalid_report_request", e.what());
    } catch (const core::SegmentError& e) {
        if (e.code() != "no_evaluator") throw;
        throw ApiError(503, "no_evaluator", e.what());
    }
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - started)
                            .count();
    runtime.log().event(plugin::LogLevel::info, "report.served",
                        {{"tenant", tenant},
                         {"report", name},
                         {"principal", principal},
                         {"peer", peer},
                         {"from", date_text(request.from_us)},
                         {"to", date_text(request.to_us - kDayUs)},
                         {"evaluator", evaluator_id},
                         {"duration_ms", std::to_string(micros / 1000) + "." +
                                             std::to_string(micros % 1000 / 100)}});
    return out;
}

void add_report_routes(Router& router, core::Runtime& runtime) {
    core::Runtime* rt = &runtime;
    const std::string base = "/v1/tenants/{tenant}/reports";
    router.add(
        {"GET", base, [rt](Request& request) {
             only_params(request.query, {});
             tenant_of(*rt, request.params.at("tenant"));
             return json_response(200, nlohmann::json{{"reports", core::report::names()}}.dump());
         }});
    router.add(
        {"GET", base + "/{name}", [rt](Request& request) {
             only_params(request.query, {"from", "to", "granularity", "top"});
             const std::string& tenant = request.params.at("tenant");
             const std::string& name = request.params.at("name");
             const core::report::Request r = report_request(request.query, tenant_of(*rt, tenant));
             const auto& names = core::report::names();
             if (std::find(names.begin(), names.end(), name) != names.end())
                 request.log["report"] = name;
             return json_response(
                 200, serve_report(*rt, tenant, name, r, request.client_subject, request.http.peer)
                          .dump());
         }});
}

}  // namespace sightline::http
