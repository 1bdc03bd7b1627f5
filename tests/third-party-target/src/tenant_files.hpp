// The files of a tenant under the config's root: <tenant>.log (the data, log_format.hpp) and
// <tenant>.lock (serializes writers across processes with flock; readers never lock: they see
// the log up to its last commit).
#pragma once

#include <string>

namespace sightline::target_thirdparty {

struct TenantPaths {
    std::string root, log, lock;
    TenantPaths(const std::string& root, const std::string& tenant);
};

// The tenant's writer lock, held from construction to destruction. Waits up to 30 s for another
// writer (another process's load), then throws a transient Error.
class WriterLock {
public:
    explicit WriterLock(const TenantPaths& paths);
    ~WriterLock();
    WriterLock(const WriterLock&) = delete;
    WriterLock& operator=(const WriterLock&) = delete;

private:
    int fd_ = -1;
};

// A file being written: an append to the log after its last commit, or a new file that replaces
// the log at commit. Nothing written is visible to readers before commit(); destroying it without
// commit() takes the writes back.
class PendingWrite {
public:
    enum class Mode { append, replace };
    // append: truncates what follows committed_bytes (an earlier writer's unfinished records).
    PendingWrite(const TenantPaths& paths, Mode mode, unsigned long long committed_bytes);
    ~PendingWrite();
    PendingWrite(const PendingWrite&) = delete;
    PendingWrite& operator=(const PendingWrite&) = delete;

    void write(const std::string& records);
    // Writes the commit record, syncs, and for replace renames the new file over the log.
    void commit();

private:
    void flush();

    TenantPaths paths_;
    Mode mode_;
    unsigned long long committed_bytes_;
    std::string temporary_;
    std::string buffer_;
    int fd_ = -1;
    bool committed_ = false;
};

// Makes renames and removals in the folder durable.
void sync_folder(const std::string& folder);
// 32 hex digits from the kernel's random source.
std::string random_hex128();

}  // namespace sightline::target_thirdparty
