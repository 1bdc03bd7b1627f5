// What the transport remembers between passes about files still in one tenant's folders.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "folders.hpp"

namespace sightline::intake_dir {

// Delay before the next attempt after `failures` consecutive retries (>= 1): 1 s doubling up
// to 5 min, so a target that is down for hours costs a log line every 5 minutes per tenant.
int64_t retry_delay_us(int failures);

// Keyed by absolute path. An entry only applies to the file version (FileId) it was made for:
// a file that is replaced under the same name starts afresh.
class FileLedger {
public:
    // Whether the file may be submitted at now_us (not waiting out a backoff).
    bool due(const std::string& path, const FileId& id, int64_t now_us) const;
    // Records a retry at now_us; returns the number of consecutive retries so far.
    int record_retry(const std::string& path, const FileId& id, int64_t now_us);

    // A processed file that could not be removed: never submit this version again.
    void mark_finished(const std::string& path, const FileId& id);
    bool finished(const std::string& path, const FileId& id) const;

    // True the first time it is asked about this file version, so that a symlink that stays in
    // place is reported once, not on every poll.
    bool first_warning(const std::string& path, const FileId& id);

    void forget(const std::string& path);
    // Drops entries for files no longer in the folders.
    void keep_only(const std::set<std::string>& present_paths);

private:
    struct State {
        FileId id;
        int failures = 0;
        int64_t next_attempt_us = 0;
        bool finished = false;
        bool warned = false;
    };
    // The entry for path, reset if it was made for another version of the file.
    State& entry(const std::string& path, const FileId& id);
    const State* find(const std::string& path, const FileId& id) const;

    std::map<std::string, State> files_;
};

}  // namespace sightline::intake_dir
