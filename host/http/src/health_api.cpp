#include "sightline/http/health_api.hpp"

#include <sys/statvfs.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "sightline/core/metrics.hpp"

namespace sightline::http {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// The folders whose disk must not fill up: the state folder, and the folders the archive, the
// target and the intakes name in their config (root, landing, dir), when written literally.
// Each under a name that says which setting it is, never the path (the name is public).
std::vector<std::pair<std::string, std::string>> watched_folders(const core::Profile& profile) {
    std::vector<std::pair<std::string, std::string>> out = {{"state", profile.state_dir}};
    for (const auto& section : profile.plugins) {
        if (!section.config.IsMap()) continue;
        // Iterated, not indexed: indexing a missing key would make yaml-cpp's invalid nodes.
        for (const auto& kv : section.config) {
            const std::string key = kv.first.Scalar();
            if (key != "root" && key != "landing" && key != "dir") continue;
            if (!kv.second.IsScalar()) continue;
            const std::string path = kv.second.Scalar();
            if (!path.empty() && path.find("${") == std::string::npos)
                out.emplace_back(section.role + "." + key, path);
        }
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
    out.erase(std::unique(out.begin(), out.end(),
                          [](const auto& a, const auto& b) { return a.second == b.second; }),
              out.end());
    return out;
}

// Free bytes for unprivileged writers on the file system holding path (or its nearest existing
// parent: a folder made on first use is not there yet).
std::optional<uint64_t> free_bytes(const std::string& path) {
    std::error_code ec;
    fs::path p = fs::absolute(path, ec);
    if (ec) return std::nullopt;
    while (!p.empty() && !fs::exists(p, ec)) {
        if (p == p.parent_path()) break;
        p = p.parent_path();
    }
    struct statvfs st {};
    if (::statvfs(p.c_str(), &st) != 0) return std::nullopt;
    return static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
}

struct Check {
    std::string name;
    bool ok = false;
    std::string detail;  // for the log and token holders: may name hosts, users and paths
};

// The target's storage answers for the profile's first tenant (TenantStore::check(), one round
// trip in the plugin's own terms, API 1.5): it is reachable and its credentials work, without
// touching every tenant. The host knows no target's query language.
Check target_check(core::Runtime& runtime) {
    const auto& tenants = runtime.profile().tenants;
    if (runtime.edge()) return {"target", true, "edge host: no target"};
    if (tenants.empty()) return {"target", true, "no tenants"};
    try {
        auto store = runtime.target().open(tenants.front().id);
        store->check();
        return {"target", true,
                runtime.plugin_id("target") + " answered for tenant " + tenants.front().id};
    } catch (const std::exception& e) {
        return {"target", false, runtime.plugin_id("target") + ": " + e.what()};
    }
}

std::vector<Check> readiness(core::Runtime& runtime, const HealthOptions& options) {
    std::vector<Check> checks;
    // The runtime exists only once every plugin of the profile was loaded and created.
    std::string plugins;
    for (const auto& section : runtime.profile().plugins)
        plugins += (plugins.empty() ? "" : ", ") + section.plugin;
    checks.push_back({"plugins", true, plugins.empty() ? "none" : plugins});
    checks.push_back(target_check(runtime));
    for (const auto& [name, folder] : watched_folders(runtime.profile())) {
        const auto free = free_bytes(folder);
        checks.push_back({"disk:" + name, free && *free >= options.min_free_bytes,
                          folder + ": " +
                              (free ? std::to_string(*free) + " bytes free, at least " +
                                          std::to_string(options.min_free_bytes) + " needed"
                                    : "cannot read the file system's free space")});
    }
    return checks;
}

bool all_ok(const std::vector<Check>& checks) {
    return std::all_of(checks.begin(), checks.end(), [](const Check& c) { return c.ok; });
}

// Without a token, only whether each check passed: the details name database hosts and users,
// folders and tenants, which an allow-listed address is not entitled to.
json render(const std::vector<Check>& checks, bool with_details) {
    json list = json::array();
    for (const auto& c : checks) {
        json item = {{"name", c.name}, {"ok", c.ok}};
        if (with_details) item["detail"] = c.detail;
        list.push_back(std::move(item));
    }
    return {{"status", all_ok(checks) ? "ready" : "not_ready"}, {"checks", list}};
}

// A failing check goes to the log once when it starts failing or its reason changes, not on
// every probe.
void log_failures(core::Runtime& runtime, const std::vector<Check>& checks,
                  std::map<std::string, std::string>& logged) {
    std::map<std::string, std::string> now;
    for (const auto& c : checks) {
        if (c.ok) continue;
        now[c.name] = c.detail;
        auto it = logged.find(c.name);
        if (it == logged.end() || it->second != c.detail)
            runtime.log().event(plugin::LogLevel::warn, "health.check_failed",
                                {{"check", c.name}, {"detail", c.detail}});
    }
    logged = std::move(now);
}

struct ReadinessCache {
    std::mutex mutex;
    std::chrono::steady_clock::time_point at;
    std::optional<std::vector<Check>> result;
    std::map<std::string, std::string> logged;  // failing check -> the detail last logged
};

}  // namespace

void add_health_routes(Router& router, core::Runtime& runtime, HealthOptions options) {
    core::Runtime* rt = &runtime;
    router.add(Route{"GET", "/healthz",
                     [](Request&) { return json_response(200, R"({"status":"ok"})"); }, false});
    auto cache = std::make_shared<ReadinessCache>();
    router.add(Route{"GET", "/readyz",
                     [rt, options, cache](Request& request) {
                         // One check at a time; probes meanwhile wait and take its result.
                         std::lock_guard<std::mutex> lock(cache->mutex);
                         const auto now = std::chrono::steady_clock::now();
                         if (!cache->result || now - cache->at >= options.cache_for) {
                             cache->result = readiness(*rt, options);
                             cache->at = now;
                             log_failures(*rt, *cache->result, cache->logged);
                         }
                         const json body = render(*cache->result, request.token != nullptr);
                         return json_response(all_ok(*cache->result) ? 200 : 503, body.dump());
                     },
                     false, true});
    router.add(Route{"GET", "/metrics",
                     [rt](Request&) {
                         Response r;
                         r.content_type = core::Metrics::content_type;
                         r.body = rt->metrics().scrape();
                         return r;
                     },
                     false});
}

}  // namespace sightline::http
