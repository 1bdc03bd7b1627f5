#include "serve_tasks.hpp"

#include <sys/statvfs.h>

#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "sightline/core/metrics.hpp"

namespace sightline::cli {

namespace {

constexpr int64_t kHourUs = 3'600'000'000LL;
constexpr int64_t kVolumeIntervalUs = 300'000'000LL;

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

}  // namespace

void add_serve_tasks(core::Scheduler& scheduler, core::Runtime& runtime,
                     core::DailySegmentBackup* backup) {
    if (backup) scheduler.add("segments.backup", kHourUs, [backup] { backup->run_once(); });
    auto gauges = std::make_shared<VolumeGauges>(runtime);
    scheduler.add("metrics.volume", kVolumeIntervalUs, [gauges] { gauges->refresh(); });
}

}  // namespace sightline::cli
