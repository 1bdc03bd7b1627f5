// The periodic work `sightline serve` schedules besides what plugins time themselves (each
// intake sweeps its own landing zone on its retention settings).
#pragma once

#include "sightline/core/runtime.hpp"
#include "sightline/core/scheduler.hpp"
#include "sightline/core/segment_backup.hpp"

namespace sightline::cli {

// segments.backup (hourly; a tenant's definitions are backed up once a day), metrics.volume
// (every five minutes: lines and customers per tenant, free space of the state folder, as gauges
// next to the event counters). backup may be null (an edge host has no definitions).
void add_serve_tasks(core::Scheduler& scheduler, core::Runtime& runtime,
                     core::DailySegmentBackup* backup);

}  // namespace sightline::cli
