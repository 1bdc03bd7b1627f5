// The audit log: an append-only JSON-lines record of what was done to tenants' data and who
// tried to get in (docs/operations.md). One file per deployment, written by every process that
// runs the profile (`serve` and the CLI commands alike), rotated by size, fsynced in batches.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "sightline/core/event_log.hpp"
#include "sightline/core/profile.hpp"

namespace sightline::core {

class AuditLog : public EventSink {
public:
    // Creates the file's folder (0700) when missing. Throws std::runtime_error when the file
    // cannot be opened.
    AuditLog(const AuditSettings& settings, std::string path, Clock clock);
    ~AuditLog() override;  // fsyncs what is pending
    AuditLog(const AuditLog&) = delete;
    AuditLog& operator=(const AuditLog&) = delete;

    void on_event(int64_t at_us, plugin::LogLevel level, std::string_view name,
                  const plugin::LogFields& fields) override;

    // The audit kind of an event ("upload", "load", ...), or "" when the event is not audited.
    static std::string_view kind_of(std::string_view event);
    // The line written for an event (no newline), or "" when the event is not audited.
    static std::string render(int64_t at_us, std::string_view name,
                              const plugin::LogFields& fields);
    // True for field names that are never written (secrets, customer ids).
    static bool forbidden_field(std::string_view name);

    // fsyncs when a written line has waited fsync_interval_ms on the clock (the flusher thread
    // calls this; tests with their own clock too).
    void sync_if_due();
    void sync();
    uint64_t syncs() const;  // fsyncs done so far
    const std::string& path() const { return path_; }

private:
    void open_locked();
    void reopen_if_moved_locked();
    void rotate_locked(size_t incoming);
    void flusher();

    AuditSettings settings_;
    std::string path_;
    Clock clock_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    int fd_ = -1;
    dev_t dev_ = 0;
    ino_t ino_ = 0;
    int64_t dirty_since_us_ = -1;  // clock time of the oldest line not yet fsynced; -1 none
    uint64_t syncs_ = 0;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace sightline::core
