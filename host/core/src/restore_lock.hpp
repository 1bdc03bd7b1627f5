// One restore of a tenant at a time, across processes: two restores of one tenant building beside
// it would discard and overwrite each other's beside storage, and one could swap in what the
// other had half built. An exclusive flock on <state_dir>/restore-<tenant>.lock, held for the
// whole restore and let go by the kernel when the process dies (a killed restore never leaves
// the tenant locked).
#pragma once

#include <string>

namespace sightline::core {

class RestoreLock {
public:
    // Throws RestoreRefused when another process holds the tenant's lock (nothing was changed),
    // plugin::Error when the lock file cannot be opened.
    RestoreLock(const std::string& state_dir, const std::string& tenant);
    ~RestoreLock();
    RestoreLock(const RestoreLock&) = delete;
    RestoreLock& operator=(const RestoreLock&) = delete;

private:
    int fd_ = -1;
};

}  // namespace sightline::core
