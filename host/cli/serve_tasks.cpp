#include "serve_tasks.hpp"

#include <sys/statvfs.h>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <chrono>

#include "sightline/core/metrics.hpp"

namespace sightline::cli {

namespace {

constexpr int64_t kHourUs = 3'600'000'000LL;
constexpr int64_t kVolumeIntervalUs = 300'000'000LL;
constexpr int64_t kConnectionsIntervalUs = 5'000'000LL;

// Gauges the event stream cannot give: how much each tenant holds now. A tenant's series is
// labelled by its profile id only (bounded by the profile), never by anything a client sends.
class VolumeGauges {
public:
    explicit VolumeGauges(core::Runtime& runtime)
        : runtime_(runtime),
          lines_(prometheus::BuildGauge()
                     .Name("sightline_tenant_lines")
                     .Help("Sales lines in the tenant's database, counted every five minutes")
                     .Register(runtime.metrics().registry())),
          customers_(prometheus::BuildGauge()
                         .Name("sightline_tenant_customers")
                         .Help("Distinct customers in the tenant's database")
                         .Register(runtime.metrics().registry())),
          free_(prometheus::BuildGauge()
                    .Name("sightline_state_free_bytes")
                    .Help("Free space of the file system holding the state folder")
                    .Register(runtime.metrics().registry())
                    .Add({})) {}

    void refresh() {
        struct statvfs fs {};
        if (statvfs(runtime_.profile().state_dir.c_str(), &fs) == 0)
            free_.Set(static_cast<double>(fs.f_bavail) * static_cast<double>(fs.f_frsize));
        if (runtime_.edge()) return;
        for (const auto& tenant : runtime_.profile().tenants) {
            try {
                const plugin::TenantStats stats = runtime_.target().open(tenant.id)->stats();
                lines_.Add({{"tenant", tenant.id}}).Set(static_cast<double>(stats.lines));
                customers_.Add({{"tenant", tenant.id}}).Set(static_cast<double>(stats.customers));
            } catch (const std::exception& e) {
                runtime_.log().event(plugin::LogLevel::warn, "metrics.volume_failed",
                                     {{"tenant", tenant.id}, {"reason", e.what()}});
            }
        }
    }

private:
    core::Runtime& runtime_;
    prometheus::Family<prometheus::Gauge>& lines_;
    prometheus::Family<prometheus::Gauge>& customers_;
    prometheus::Gauge& free_;
};

// The budget of target connections (target_connections:): how much of it is used, how often a
// request found it full, and the idle stores unused for idle_ms closed, so that a quiet server
// gives its database connections back.
class ConnectionGauges {
public:
    explicit ConnectionGauges(core::Runtime& runtime)
        : runtime_(runtime),
          connections_(prometheus::BuildGauge()
                           .Name("sightline_target_connections")
                           .Help("Target connections of this process, in use or idle")
                           .Register(runtime.metrics().registry())),
          max_(prometheus::BuildGauge()
                   .Name("sightline_target_connections_max")
                   .Help("The budget of target connections (target_connections.max)")
                   .Register(runtime.metrics().registry())
                   .Add({})),
          busy_(prometheus::BuildCounter()
                    .Name("sightline_target_busy_total")
                    .Help("Requests that found every target connection in use for wait_ms")
                    .Register(runtime.metrics().registry())
                    .Add({})) {}

    void refresh() {
        core::StorePool& pool = runtime_.store_pool();
        const int closed = pool.close_unused(std::chrono::steady_clock::now());
        if (closed > 0)
            runtime_.log().event(plugin::LogLevel::debug, "target.idle_closed",
                                 {{"stores", std::to_string(closed)}});
        const core::StorePool::Counts counts = pool.counts();
        connections_.Add({{"state", "in_use"}}).Set(counts.in_use);
        connections_.Add({{"state", "idle"}}).Set(counts.idle);
        max_.Set(pool.budget().max);
        if (counts.busy > busy_seen_)
            busy_.Increment(static_cast<double>(counts.busy - busy_seen_));
        busy_seen_ = counts.busy;
    }

private:
    core::Runtime& runtime_;
    prometheus::Family<prometheus::Gauge>& connections_;
    prometheus::Gauge& max_;
    prometheus::Counter& busy_;
    uint64_t busy_seen_ = 0;
};

}  // namespace

void add_serve_tasks(core::Scheduler& scheduler, core::Runtime& runtime,
                     core::DailySegmentBackup* backup) {
    if (backup) scheduler.add("segments.backup", kHourUs, [backup] { backup->run_once(); });
    auto gauges = std::make_shared<VolumeGauges>(runtime);
    scheduler.add("metrics.volume", kVolumeIntervalUs, [gauges] { gauges->refresh(); });
    if (runtime.edge()) return;
    auto connections = std::make_shared<ConnectionGauges>(runtime);
    connections->refresh();
    scheduler.add("target.connections", kConnectionsIntervalUs,
                  [connections] { connections->refresh(); });
}

}  // namespace sightline::cli
