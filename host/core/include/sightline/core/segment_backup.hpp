// Segment definitions in the archive: a dated, checksummed backup per tenant
// (segments-YYYY-MM-DD.json, every version with who and when), entered in the tenant's archive
// history so that a restore of the tenant brings the definitions back after the data.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "sightline/core/segment_store.hpp"

namespace sightline::core {

class Runtime;

struct SegmentBackupResult {
    std::string tenant;
    std::string name;  // segments-YYYY-MM-DD.json
    std::string sha256;
    uint64_t versions = 0;
    uint64_t bytes = 0;
    bool written = false;  // false: today's backup already holds exactly these versions
};

// Writes the tenant's definitions (all versions) to the archive unless today's backup is the
// same. Throws plugin::Error.
SegmentBackupResult backup_segments(Runtime& runtime, SegmentStore& store,
                                    const std::string& tenant);

struct SegmentRestoreResult {
    std::string name;  // the backup used
    std::string sha256;
    uint64_t versions_in_backup = 0;
    uint64_t imported = 0;  // versions the store did not have
};

// Brings definitions back from the tenant's latest backup, or from the one named (its file name
// or its date YYYY-MM-DD). Versions the store already has are kept; a version that differs is a
// conflict (Error, nothing changed). nullopt when the archive holds no backup of the tenant.
std::optional<SegmentRestoreResult> restore_segment_definitions(Runtime& runtime,
                                                                SegmentStore& store,
                                                                const std::string& tenant,
                                                                const std::string& which = "");

// The daily backup of `serve`: every tick (an hour by default) it backs up every tenant whose
// definitions differ from today's backup, so each day that has definitions gets its dated file
// and a change is in the archive within a tick. Failures are logged and retried at the next
// tick. Stops (joining its thread) when destroyed.
class DailySegmentBackup {
public:
    // tick 0: no thread of its own; a Scheduler calls run_once (sightline serve does).
    DailySegmentBackup(Runtime& runtime, SegmentStore& store,
                       std::chrono::milliseconds tick = std::chrono::hours(1));
    ~DailySegmentBackup();
    DailySegmentBackup(const DailySegmentBackup&) = delete;
    DailySegmentBackup& operator=(const DailySegmentBackup&) = delete;

    // One pass over the tenants; returns how many backups were written.
    size_t run_once();

private:
    Runtime& runtime_;
    SegmentStore& store_;
    std::chrono::milliseconds tick_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace sightline::core
