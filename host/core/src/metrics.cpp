#include "sightline/core/metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <sstream>

namespace sightline::core {

namespace {

using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Histogram;
using prometheus::Labels;

std::string field(const plugin::LogFields& fields, const char* key) {
    auto it = fields.find(key);
    return it == fields.end() ? std::string() : it->second;
}

double number(const plugin::LogFields& fields, const char* key) {
    const std::string v = field(fields, key);
    if (v.empty()) return 0;
    try {
        return std::stod(v);
    } catch (const std::exception&) {
        return 0;
    }
}

// Loads take seconds to minutes; evaluations milliseconds to seconds.
const Histogram::BucketBoundaries kLoadBuckets{0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900};
const Histogram::BucketBoundaries kEvaluationBuckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                     0.5,   1,    2.5,   5,    10};

constexpr size_t kMaxRoutes = 64;

template <typename Builder>
auto& build(Builder builder, prometheus::Registry& registry, const char* name, const char* help) {
    return builder.Name(name).Help(help).Register(registry);
}  // the API's route patterns; more is a bug, not traffic

}  // namespace

struct Metrics::Impl {
    std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();

    Family<Counter>& uploads = build(prometheus::BuildCounter(), *registry,
                                     "sightline_uploads_total", "Files received by a transport");
    Family<Counter>& upload_bytes =
        build(prometheus::BuildCounter(), *registry, "sightline_upload_bytes_total",
              "Bytes of the files received by a transport");
    Family<Gauge>& queue_depth =
        build(prometheus::BuildGauge(), *registry, "sightline_upload_queue_depth",
              "Uploads received and waiting for their load, per transport");
    Family<Counter>& loads = build(prometheus::BuildCounter(), *registry, "sightline_loads_total",
                                   "Loads by result (loaded, duplicate, refused, failed)");
    // Durations: one histogram for all tenants (buckets per tenant would be most of a scrape),
    // and a per-tenant sum of seconds, so that seconds / loads gives each tenant's average.
    Family<Histogram>& load_seconds =
        build(prometheus::BuildHistogram(), *registry, "sightline_load_duration_seconds",
              "Time from a load's start to its result, all tenants");
    Family<Counter>& load_seconds_sum =
        build(prometheus::BuildCounter(), *registry, "sightline_load_seconds_total",
              "Seconds spent in loads, per tenant");
    Family<Counter>& load_rows =
        build(prometheus::BuildCounter(), *registry, "sightline_load_rows_total", "Records loaded");
    Family<Counter>& load_bytes = build(prometheus::BuildCounter(), *registry,
                                        "sightline_load_bytes_total", "Bytes of the files loaded");
    Family<Counter>& refusals =
        build(prometheus::BuildCounter(), *registry, "sightline_refusals_total",
              "Files refused, by reason (format, personal_data, unknown_tenant)");
    Family<Counter>& evaluations =
        build(prometheus::BuildCounter(), *registry, "sightline_segment_evaluations_total",
              "Segment evaluations, by evaluator plugin and whether the cache answered");
    Family<Histogram>& evaluation_seconds = build(
        prometheus::BuildHistogram(), *registry, "sightline_segment_evaluation_duration_seconds",
        "Time of a segment evaluation, per evaluator plugin");
    Family<Counter>& evaluation_seconds_sum =
        build(prometheus::BuildCounter(), *registry, "sightline_segment_evaluation_seconds_total",
              "Seconds spent in segment evaluations, per tenant");
    Family<Counter>& segment_changes =
        build(prometheus::BuildCounter(), *registry, "sightline_segment_changes_total",
              "Segment definitions saved, deleted or restored");
    Family<Counter>& deletions = build(prometheus::BuildCounter(), *registry,
                                       "sightline_deletions_total", "Deletions by result");
    Family<Counter>& restores = build(prometheus::BuildCounter(), *registry,
                                      "sightline_restores_total", "Restores by result");
    Family<Counter>& backups =
        build(prometheus::BuildCounter(), *registry, "sightline_segment_backups_total",
              "Segment definition backups written to the archive, by result");
    Family<Counter>& bans = build(prometheus::BuildCounter(), *registry, "sightline_bans_total",
                                  "Addresses banned, or refused while banned, per plugin");
    Family<Counter>& login_failures =
        build(prometheus::BuildCounter(), *registry, "sightline_login_failures_total",
              "Failed logins, per plugin (or the console)");
    Family<Counter>& reports =
        build(prometheus::BuildCounter(), *registry, "sightline_report_requests_total",
              "Reports served or refused");
    Family<Counter>& api_requests =
        build(prometheus::BuildCounter(), *registry, "sightline_api_requests_total",
              "HTTP API requests by route pattern and status class");
    Family<Counter>& events = build(prometheus::BuildCounter(), *registry,
                                    "sightline_log_events_total", "Events logged, by level");
    Family<Gauge>& build_info = build(prometheus::BuildGauge(), *registry, "sightline_build_info",
                                      "Always 1; the labels name the version and the plugin API");
    Family<Gauge>& up =
        build(prometheus::BuildGauge(), *registry, "sightline_up", "1 while the host runs");

    mutable std::shared_mutex tenants_mutex;
    std::set<std::string, std::less<>> tenants;
    std::mutex routes_mutex;
    std::set<std::string> routes;

    std::string route_label(const std::string& route) {
        if (route.empty() || route[0] != '/' || route.size() > 128) return "other";
        std::lock_guard<std::mutex> lock(routes_mutex);
        if (routes.count(route)) return route;
        if (routes.size() >= kMaxRoutes) return "other";
        routes.insert(route);
        return route;
    }
};

Metrics::Metrics(const std::vector<std::string>& tenants) : impl_(std::make_unique<Impl>()) {
    set_tenants(tenants);
    impl_->build_info
        .Add({{"version", SIGHTLINE_VERSION},
              {"plugin_api", std::to_string(SIGHTLINE_PLUGIN_API_MAJOR) + "." +
                                 std::to_string(SIGHTLINE_PLUGIN_API_MINOR)}})
        .Set(1);
    impl_->up.Add({}).Set(1);
}

Metrics::~Metrics() = default;

void Metrics::set_tenants(const std::vector<std::string>& tenants) {
    std::unique_lock<std::shared_mutex> lock(impl_->tenants_mutex);
    impl_->tenants = {tenants.begin(), tenants.end()};
}

std::string Metrics::tenant_label(std::string_view tenant) const {
    std::shared_lock<std::shared_mutex> lock(impl_->tenants_mutex);
    return impl_->tenants.count(tenant) ? std::string(tenant) : std::string("other");
}

prometheus::Registry& Metrics::registry() { return *impl_->registry; }

std::string Metrics::scrape() const {
    std::ostringstream out;
    prometheus::TextSerializer().Serialize(out, impl_->registry->Collect());
    return out.str();
}

void Metrics::on_event(int64_t, plugin::LogLevel level, std::string_view name,
                       const plugin::LogFields& f) {
    Impl& m = *impl_;
    m.events.Add({{"level", level_name(level)}}).Increment();
    const std::string tenant = tenant_label(field(f, "tenant"));
    std::string plugin = field(f, "plugin");
    if (plugin.empty()) plugin = "host";

    if (!field(f, "queue_depth").empty())
        m.queue_depth.Add({{"plugin", plugin}}).Set(number(f, "queue_depth"));

    if (name == "intake_ftps.upload" || name == "upload.seen") {
        m.uploads.Add({{"tenant", tenant}, {"plugin", plugin}}).Increment();
        m.upload_bytes.Add({{"tenant", tenant}, {"plugin", plugin}}).Increment(number(f, "bytes"));
    } else if (name == "load.finished" || name == "load.duplicate" || name == "load.refused" ||
               name == "load.failed") {
        static const std::map<std::string_view, const char*> results = {
            {"load.finished", "loaded"},
            {"load.duplicate", "duplicate"},
            {"load.refused", "refused"},
            {"load.failed", "failed"}};
        m.loads.Add({{"tenant", tenant}, {"result", results.at(name)}}).Increment();
        if (!field(f, "seconds").empty()) {
            const double seconds = number(f, "seconds");
            m.load_seconds.Add({}, kLoadBuckets).Observe(seconds);
            m.load_seconds_sum.Add({{"tenant", tenant}}).Increment(seconds);
        }
        if (name == "load.finished") {
            m.load_rows.Add({{"tenant", tenant}}).Increment(number(f, "rows"));
            m.load_bytes.Add({{"tenant", tenant}}).Increment(number(f, "bytes"));
        } else if (name == "load.refused") {
            const std::string reason = field(f, "reason");
            const char* why = reason == "unknown tenant"  ? "unknown_tenant"
                              : reason == "personal data" ? "personal_data"
                                                          : "format";
            m.refusals.Add({{"tenant", tenant}, {"reason", why}}).Increment();
        }
    } else if (name == "segment.evaluated") {
        std::string evaluator = field(f, "evaluator");
        if (evaluator.empty()) evaluator = "unknown";
        m.evaluations
            .Add({{"tenant", tenant},
                  {"evaluator", evaluator},
                  {"cached", field(f, "cached") == "true" ? "true" : "false"}})
            .Increment();
        const double seconds = number(f, "duration_us") / 1e6;
        m.evaluation_seconds.Add({{"evaluator", evaluator}}, kEvaluationBuckets).Observe(seconds);
        m.evaluation_seconds_sum.Add({{"tenant", tenant}}).Increment(seconds);
    } else if (name == "segment.changed" || name == "segments.restored") {
        m.segment_changes.Add({{"tenant", tenant}}).Increment();
    } else if (name == "delete.done" || name == "delete.failed") {
        m.deletions.Add({{"tenant", tenant}, {"result", name == "delete.done" ? "ok" : "failed"}})
            .Increment();
    } else if (name == "restore.finished" || name == "restore.failed") {
        m.restores
            .Add({{"tenant", tenant}, {"result", name == "restore.finished" ? "ok" : "failed"}})
            .Increment();
    } else if (name == "segments.backup" || name == "segments.backup_failed") {
        m.backups.Add({{"result", name == "segments.backup" ? "ok" : "failed"}}).Increment();
    } else if (name == "intake_ftps.banned") {
        m.bans.Add({{"plugin", plugin}}).Increment();
    } else if (name == "intake_ftps.login_failed") {
        m.login_failures.Add({{"plugin", plugin}}).Increment();
    } else if (name == "console.login_failed") {
        m.login_failures.Add({{"plugin", "console"}}).Increment();
    } else if (name == "console.banned") {
        m.bans.Add({{"plugin", "console"}}).Increment();
    } else if (name == "report.served" || name == "report.refused") {
        m.reports
            .Add({{"tenant", tenant}, {"result", name == "report.served" ? "served" : "refused"}})
            .Increment();
    } else if (name == "api.request") {
        const std::string status = field(f, "status");
        const std::string code = status.size() == 3 ? status.substr(0, 1) + "xx" : "other";
        m.api_requests.Add({{"route", m.route_label(field(f, "route"))}, {"code", code}})
            .Increment();
    }
}

}  // namespace sightline::core
