// Landing retention: everything in a landing folder older than retention_hours is deleted,
// processed or not. The promise to tenants is that their data leaves the edge within that time;
// an upload that could not be delivered in time is deleted anyway, logged as an error and noted
// in the tenant's status/ folder so the tenant uploads it again. Archived copies live elsewhere.
#pragma once

#include <atomic>
#include <cstdint>

#include "config.hpp"
#include "landing.hpp"
#include "sightline/plugin/api.hpp"
#include "upload_queue.hpp"

namespace sightline::intake_ftps {

struct SweepReport {
    int64_t removed = 0;  // every file deleted
    int64_t expired = 0;  // of which uploads never processed
};

class Sweeper {
public:
    Sweeper(const Config& config, const Landing& landing, UploadQueue& queue,
            plugin::HostServices& host)
        : config_(config), landing_(landing), queue_(queue), host_(host) {}

    // One pass over every folder under the landing root (tenants no longer in the profile too),
    // with the config's retention or a reloaded one.
    SweepReport run() { return run(config_.retention_hours); }
    SweepReport run(int64_t retention_hours);
    int64_t expired_total() const { return expired_total_.load(); }

private:
    const Config& config_;
    const Landing& landing_;
    UploadQueue& queue_;
    plugin::HostServices& host_;
    std::atomic<int64_t> expired_total_{0};
};

}  // namespace sightline::intake_ftps
