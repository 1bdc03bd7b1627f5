#include "sightline/http/health_api.hpp"

#include <sys/statvfs.h>

#include <filesystem>
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
std::vector<std::string> watched_folders(const core::Profile& profile) {
    std::vector<std::string> out = {profile.state_dir};
    for (const auto& section : profile.plugins) {
        if (!section.config.IsMap()) continue;
        // Iterated, not indexed: indexing a missing key would make yaml-cpp's invalid nodes.
        for (const auto& kv : section.config) {
            const std::string key = kv.first.Scalar();
            if (key != "root" && key != "landing" && key != "dir") continue;
            if (!kv.second.IsScalar()) continue;
            const std::string path = kv.second.Scalar();
            if (!path.empty() && path.find("${") == std::string::npos) out.push_back(path);
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
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

json check(const std::string& name, bool ok, const std::string& detail) {
    return {{"name", name}, {"ok", ok}, {"detail", detail}};
}

// The target answers a trivial query for the profile's first tenant: it is reachable and its
// credentials work, without touching every tenant.
json target_check(core::Runtime& runtime) {
    const auto& tenants = runtime.profile().tenants;
    if (runtime.edge()) return check("target", true, "edge host: no target");
    if (tenants.empty()) return check("target", true, "no tenants");
    try {
        auto store = runtime.target().open(tenants.front().id);
        int64_t one = 0;
        store->query("SELECT 1", {}, [&](const plugin::SqlRow& row) { one = row.get_int64(0); });
        return check("target", one == 1,
                     runtime.plugin_id("target") + " answered for tenant " + tenants.front().id);
    } catch (const std::exception& e) {
        return check("target", false, runtime.plugin_id("target") + ": " + e.what());
    }
}

json readiness(core::Runtime& runtime, const HealthOptions& options) {
    json checks = json::array();
    // The runtime exists only once every plugin of the profile was loaded and created.
    std::string plugins;
    for (const auto& section : runtime.profile().plugins)
        plugins += (plugins.empty() ? "" : ", ") + section.plugin;
    checks.push_back(check("plugins", true, plugins.empty() ? "none" : plugins));
    checks.push_back(target_check(runtime));
    for (const auto& folder : watched_folders(runtime.profile())) {
        const auto free = free_bytes(folder);
        checks.push_back(check("disk:" + folder, free && *free >= options.min_free_bytes,
                               free ? std::to_string(*free) + " bytes free, at least " +
                                          std::to_string(options.min_free_bytes) + " needed"
                                    : "cannot read the file system's free space"));
    }
    bool ready = true;
    for (const auto& c : checks) ready = ready && c["ok"].get<bool>();
    return {{"status", ready ? "ready" : "not_ready"}, {"checks", checks}};
}

struct ReadinessCache {
    std::mutex mutex;
    std::chrono::steady_clock::time_point at;
    std::optional<json> result;
};

}  // namespace

void add_health_routes(Router& router, core::Runtime& runtime, HealthOptions options) {
    core::Runtime* rt = &runtime;
    router.add(Route{"GET", "/healthz",
                     [](Request&) { return json_response(200, R"({"status":"ok"})"); }, false});
    auto cache = std::make_shared<ReadinessCache>();
    router.add(Route{"GET", "/readyz",
                     [rt, options, cache](Request&) {
                         // One check at a time; probes meanwhile wait and take its result.
                         std::lock_guard<std::mutex> lock(cache->mutex);
                         const auto now = std::chrono::steady_clock::now();
                         if (!cache->result || now - cache->at >= options.cache_for) {
                             cache->result = readiness(*rt, options);
                             cache->at = now;
                         }
                         const bool ready = (*cache->result)["status"] == "ready";
                         return json_response(ready ? 200 : 503, cache->result->dump());
                     },
                     false});
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
