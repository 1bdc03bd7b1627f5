#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <vector>

#include "console_assets.hpp"
#include "console_sessions.hpp"
#include "sightline/core/job_history.hpp"
#include "sightline/core/json_input.hpp"
#include "sightline/core/timestamp.hpp"
#include "sightline/http/console.hpp"
#include "sightline/http/report_api.hpp"

namespace sightline::http {

namespace {

using nlohmann::json;
constexpr const char* kCookie = "sightline_console";
constexpr int64_t kDayUs = 86'400'000'000;

// Scripts, styles and images from this origin only (no inline script: the pages' JS is a file),
// never framed.
void secure(Response& r) {
    r.headers["Content-Security-Policy"] =
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'self'";
    r.headers["X-Frame-Options"] = "DENY";
    r.headers["Referrer-Policy"] = "no-referrer";
    r.headers["Cache-Control"] = "no-store";
}

const char* content_type(const std::string& name) {
    const auto dot = name.rfind('.');
    const std::string ext = dot == std::string::npos ? "" : name.substr(dot + 1);
    if (ext == "html") return "text/html; charset=utf-8";
    if (ext == "css") return "text/css; charset=utf-8";
    if (ext == "js") return "text/javascript; charset=utf-8";
    if (ext == "svg") return "image/svg+xml";
    return "application/octet-stream";
}

std::string cookie(const Request& request, const std::string& name) {
    const std::string* header = request.header("cookie");
    if (!header) return "";
    size_t start = 0;
    while (start < header->size()) {
        size_t end = header->find(';', start);
        if (end == std::string::npos) end = header->size();
        std::string pair = header->substr(start, end - start);
        start = end + 1;
        const size_t first = pair.find_first_not_of(' ');
        if (first == std::string::npos) continue;
        pair = pair.substr(first);
        if (pair.compare(0, name.size() + 1, name + "=") == 0) return pair.substr(name.size() + 1);
    }
    return "";
}

// How a failed login's name is logged when it is no operator: a name field often holds a
// password typed one field too early, so never the text itself, only a short keyed hash (HMAC
// with a key drawn at start, never stored) that lets attempts with the same name be correlated
// within one run of the server.
std::string unknown_name_tag(const std::string& name) {
    static const std::vector<unsigned char> key = [] {
        std::vector<unsigned char> k(32);
        if (RAND_bytes(k.data(), static_cast<int>(k.size())) != 1)
            throw std::runtime_error("the random number generator failed");
        return k;
    }();
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(name.data()), name.size(), mac, &size);
    static const char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < 6 && i < size; ++i) {
        out += hex[mac[i] >> 4];
        out += hex[mac[i] & 15];
    }
    return out;
}

std::string quote_cookie(const std::string& value, bool tls, bool clear) {
    std::string c =
        std::string(kCookie) + "=" + value + "; Path=/console; HttpOnly; SameSite=Strict";
    if (tls) c += "; Secure";
    if (clear) c += "; Max-Age=0";
    return c;
}

int int_param(const Request& request, const std::string& key, int fallback, int min, int max) {
    auto it = request.query.find(key);
    if (it == request.query.end()) return fallback;
    const std::string& t = it->second;
    if (t.empty() || t.size() > 6 || t.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(t) < min || std::stoi(t) > max)
        throw ApiError(
            400, "invalid_parameter",
            key + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max),
            {{key, "out_of_range",
              "expected " + std::to_string(min) + " to " + std::to_string(max)}});
    return std::stoi(t);
}

class Console {
public:
    Console(core::Runtime& runtime, core::OperatorRegistry& operators, ConsoleOptions options)
        : runtime_(runtime),
          operators_(operators),
          tls_(options.tls),
          sessions_(options.clock ? options.clock : runtime.clock()),
          throttle_(options.clock ? options.clock : runtime.clock()),
          lockout_(options.clock ? options.clock : runtime.clock()),
          // At most 4 scrypt checks at once (16 MiB each), fewer on a smaller host; never 0.
          verifications_(std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, 4)) {}

    // Against cross-site requests: a header a form cannot send (X-Requested-With, which a
    // cross-origin script may not send without a CORS preflight we never answer), and an Origin,
    // when the browser sends one, equal to this host.
    void same_origin(const Request& request) const {
        const std::string* marker = request.header("x-requested-with");
        if (!marker || marker->empty())
            throw ApiError(403, "csrf", "an X-Requested-With header is required");
        const std::string* origin = request.header("origin");
        const std::string* host = request.header("host");
        if (origin && (!host || *origin != std::string(tls_ ? "https://" : "http://") + *host))
            throw ApiError(403, "csrf", "cross-origin requests are refused");
    }

    // The operator of the request's session; 401 without a live session or once the operator
    // is disabled (checked on every request, so that disabling ends the sessions at once).
    std::string operator_of(Request& request) {
        const std::string id = cookie(request, kCookie);
        auto name = sessions_.find(id);
        if (!name) throw ApiError(401, "unauthenticated", "log in first");
        if (!operators_.active(*name)) {
            sessions_.remove_operator(*name);
            runtime_.log().event(plugin::LogLevel::warn, "console.refused",
                                 {{"operator", *name},
                                  {"peer", request.http.peer},
                                  {"reason", "operator disabled"}});
            throw ApiError(401, "unauthenticated", "this operator is disabled");
        }
        request.log["principal"] = *name;
        return *name;
    }

    static Response too_many(int64_t wait) {
        Response r = error_response(429, "too_many_attempts",
                                    "too many failed logins from this address; try later");
        r.headers["Retry-After"] = std::to_string((wait + 999'999) / 1'000'000);
        return r;
    }

    Response login(Request& request) {
        same_origin(request);
        const std::string& peer = request.http.peer;
        if (const int64_t wait = throttle_.wait_us(peer); wait > 0) return too_many(wait);
        json body;
        try {
            body = core::parse_json_input(request.http.body);
        } catch (const core::JsonInputError& e) {
            throw ApiError(400, "malformed_json",
                           "the body is not valid JSON: " + std::string(e.what()));
        }
        if (!body.is_object() || !body.contains("name") || !body["name"].is_string() ||
            !body.contains("password") || !body["password"].is_string())
            throw ApiError(400, "invalid_field", "name and password (strings) are required");
        const std::string name = body["name"].get<std::string>();
        const std::string password = body["password"].get<std::string>();
        const bool sized = name.size() <= 64 && password.size() <= 1024;
        const bool known = sized && operators_.exists(name);
        // The check and the count are one step: parallel attempts cannot all pass the check.
        if (const int64_t wait = throttle_.reserve(peer); wait > 0) return too_many(wait);
        const detail::LockoutVerdict lock =
            known ? lockout_.reserve(name, peer) : detail::LockoutVerdict{};
        std::optional<std::string> who;
        if (sized) {
            // Verified even while the operator is locked, and against a decoy for unknown
            // names: the answer and its time are the same as for a wrong password.
            detail::VerificationSlots::Slot slot(verifications_);
            who = operators_.authenticate_password(name, password);
        }
        if (!who || lock.locked_us > 0) {
            // The name typed is logged only when it is an operator's.
            plugin::LogFields fields{{"peer", peer}};
            fields["name"] = known ? name : "unknown operator";
            if (!known) fields["name_tag"] = unknown_name_tag(name);
            if (lock.locked_us > 0) fields["reason"] = "operator locked";
            runtime_.log().event(plugin::LogLevel::warn, "console.login_failed", fields);
            if (throttle_.record_failure(peer))
                runtime_.log().event(plugin::LogLevel::warn, "console.banned", {{"peer", peer}});
            if (lock.locks_now)
                runtime_.log().event(
                    plugin::LogLevel::warn, "console.operator_locked",
                    {{"operator", name},
                     {"seconds", std::to_string(lock.lock_length_us / 1'000'000)}});
            throw ApiError(401, "login_failed", "wrong name or password");
        }
        throttle_.record_success(peer);
        lockout_.record_success(*who, peer);
        const std::string id = sessions_.create(*who);
        runtime_.log().event(plugin::LogLevel::info, "console.login",
                             {{"operator", *who}, {"peer", peer}});
        request.log["principal"] = *who;
        Response r = json_response(200, json{{"operator", *who}}.dump());
        r.headers["Set-Cookie"] = quote_cookie(id, tls_, false);
        return r;
    }

    Response logout(Request& request) {
        same_origin(request);
        const std::string id = cookie(request, kCookie);
        if (auto name = sessions_.find(id)) {
            runtime_.log().event(plugin::LogLevel::info, "console.logout",
                                 {{"operator", *name}, {"peer", request.http.peer}});
            request.log["principal"] = *name;
        }
        sessions_.remove(id);
        Response r = json_response(200, R"({"logged_out":true})");
        r.headers["Set-Cookie"] = quote_cookie("", tls_, true);
        return r;
    }

    json session(Request& request) {
        const std::string name = operator_of(request);
        json tenants = json::array();
        for (const auto& t : runtime_.profile().tenants) tenants.push_back(t.id);
        return {{"operator", name},
                {"tenants", tenants},
                {"now", core::format_timestamp(runtime_.clock()())}};
    }

    std::string tenant_param(const Request& request, bool required) const {
        auto it = request.query.find("tenant");
        if (it == request.query.end() || it->second.empty()) {
            if (required) throw ApiError(400, "invalid_parameter", "tenant is required");
            return "";
        }
        if (!runtime_.profile().tenant(it->second))
            throw ApiError(404, "unknown_tenant", "no such tenant");
        return it->second;
    }

    json jobs(Request& request) {
        operator_of(request);
        core::JobQuery q;
        q.tenant = tenant_param(request, false);
        q.since_us = runtime_.clock()() - int_param(request, "days", 7, 1, 366) * kDayUs;
        q.failed_only = request.query.count("failed") && request.query.at("failed") == "true";
        q.limit = int_param(request, "limit", 200, 1, 1000);
        json out = json::array();
        for (const auto& j : runtime_.jobs().list(q)) out.push_back(core::job_json(j));
        return {{"jobs", out}};
    }

    json volumes(Request& request) {
        operator_of(request);
        json out = json::array();
        if (runtime_.edge()) return {{"tenants", out}};
        for (const auto& t : runtime_.profile().tenants) {
            try {
                const auto stats = runtime_.target().open(t.id)->stats();
                out.push_back({{"tenant", t.id},
                               {"lines", stats.lines},
                               {"customers", stats.customers},
                               {"revenue", stats.revenue},
                               {"catalog_items", stats.catalog_items}});
            } catch (const std::exception& e) {
                out.push_back({{"tenant", t.id}, {"error", e.what()}});
            }
        }
        return {{"tenants", out}};
    }

    json segment_sizes(Request& request) {
        operator_of(request);
        const std::string tenant = tenant_param(request, true);
        const int64_t since = runtime_.clock()() - int_param(request, "days", 30, 1, 366) * kDayUs;
        core::JobQuery q;
        q.tenant = tenant;
        q.kind = "segment_evaluation";
        q.since_us = since;
        q.limit = 5000;
        std::set<std::string> ids;
        for (const auto& j : runtime_.jobs().list(q))
            if (!j.file.empty()) ids.insert(j.file);
        json out = json::array();
        for (const auto& id : ids) {
            json points = json::array();
            for (const auto& s : runtime_.jobs().segment_sizes(tenant, id, since))
                points.push_back(
                    {{"at", core::format_timestamp(s.at_us)}, {"customers", s.customers}});
            out.push_back({{"segment", id}, {"sizes", points}});
        }
        return {{"tenant", tenant}, {"segments", out}};
    }

    json report(Request& request) {
        const std::string name = operator_of(request);
        const std::string tenant = tenant_param(request, true);
        std::map<std::string, std::string> query = request.query;
        query.erase("tenant");
        std::string report = "summary";
        if (auto it = query.find("name"); it != query.end()) {
            report = it->second;
            query.erase(it);
        }
        const auto r = report_request(query, *runtime_.profile().tenant(tenant));
        return serve_report(runtime_, tenant, report, r, name, request.http.peer);
    }

private:
    core::Runtime& runtime_;
    core::OperatorRegistry& operators_;
    bool tls_;
    detail::ConsoleSessions sessions_;
    detail::LoginThrottle throttle_;
    detail::OperatorLockout lockout_;
    detail::VerificationSlots verifications_;
};

// Every console response gets the security headers, errors included.
Handler secured(Handler handler) {
    return [handler = std::move(handler)](Request& request) {
        Response r;
        try {
            r = handler(request);
        } catch (const ApiError& e) {
            r = error_response(e.status(), e.code(), e.what(), e.details());
        }
        secure(r);
        return r;
    };
}

Handler json_handler(std::function<json(Request&)> fn) {
    return secured(
        [fn = std::move(fn)](Request& request) { return json_response(200, fn(request).dump()); });
}

}  // namespace

void add_console_routes(Router& router, core::Runtime& runtime, core::OperatorRegistry& operators,
                        ConsoleOptions options) {
    auto console = std::make_shared<Console>(runtime, operators, std::move(options));
    router.add(Route{"GET", "/console", secured([](Request&) {
                         Response r;
                         r.status = 301;
                         r.content_type.clear();
                         r.headers["Location"] = "/console/";
                         return r;
                     }),
                     false});
    for (size_t i = 0; i < detail::kConsoleAssetCount; ++i) {
        const detail::ConsoleAsset asset = detail::kConsoleAssets[i];
        const std::string name = asset.name;
        const std::string path = name == "index.html" ? "/console/" : "/console/" + name;
        router.add(Route{"GET", path, secured([asset, name](Request&) {
                             Response r;
                             r.content_type = content_type(name);
                             r.body.assign(reinterpret_cast<const char*>(asset.data), asset.size);
                             return r;
                         }),
                         false});
    }
    router.add(Route{"POST", "/console/login",
                     secured([console](Request& r) { return console->login(r); }), false});
    router.add(Route{"POST", "/console/logout",
                     secured([console](Request& r) { return console->logout(r); }), false});
    router.add(Route{"GET", "/console/api/session",
                     json_handler([console](Request& r) { return console->session(r); }), false});
    router.add(Route{"GET", "/console/api/jobs",
                     json_handler([console](Request& r) { return console->jobs(r); }), false});
    router.add(Route{"GET", "/console/api/tenants",
                     json_handler([console](Request& r) { return console->volumes(r); }), false});
    router.add(Route{"GET", "/console/api/segments",
                     json_handler([console](Request& r) { return console->segment_sizes(r); }),
                     false});
    router.add(Route{"GET", "/console/api/report",
                     json_handler([console](Request& r) { return console->report(r); }), false});
}

}  // namespace sightline::http
