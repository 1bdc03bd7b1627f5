// The resident snapshots, one per tenant, kept current with the store's data version:
//  * same version: the resident snapshot;
//  * same incarnation and removals, a larger mark: the resident snapshot extended with the lines
//    of the later loads (a new snapshot; the old one stays valid for requests using it);
//  * anything else: a full rebuild.
// One build per tenant at a time: concurrent requests wait for it and use its result. A
// persisted snapshot of the current version is opened instead of building, once per process;
// every new snapshot is written back (see snapshot_file.hpp). Targets without data versions get
// a throwaway snapshot per request, never kept or written.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "config.hpp"
#include "sightline/plugin/api.hpp"
#include "sightline/plugin/target.hpp"
#include "snapshot.hpp"

namespace sightline::evaluator_columnar {

class TenantSnapshots {
public:
    // host may be null (tests): no log lines and no persistence.
    TenantSnapshots(ColumnarConfig config, plugin::HostServices* host);

    // The tenant's data as of now (never older than the store's version read at the start).
    SnapshotPtr current(const std::string& tenant, plugin::TenantStore& store);

    // "" or why this tenant is not answered (more lines than its max_resident_lines).
    std::string declines(const std::string& tenant, plugin::TenantStore& store);

    // Drops the tenant's resident snapshot and removes its file: lines were removed (a deletion,
    // a full upload, a restore) and no file may keep them. Logs, never throws.
    void forget(const std::string& tenant);

    // The file of a tenant's snapshot ("" when nothing is persisted).
    std::string file_for(const std::string& tenant) const;

    // What the last current() call for a tenant did: "resident", "opened", "extended", "built".
    std::string last_source(const std::string& tenant);

private:
    struct Entry {
        std::mutex build;  // held while building; waiters then use the result
        std::mutex guard;  // guards the fields below
        SnapshotPtr snapshot;
        bool file_tried = false;
        std::string source;
        std::string decided_version, decision;  // declines() cached per data version
    };
    Entry& entry(const std::string& tenant);
    SnapshotPtr open_file(const std::string& tenant, const plugin::DataVersion& version);
    void persist(const std::string& tenant, const Snapshot& snapshot, bool removed);
    void remove_file(const std::string& tenant);
    void warn(const std::string& event, const std::string& tenant, const std::string& detail);

    ColumnarConfig config_;
    plugin::HostServices* host_;
    std::string dir_;        // "" when not persisting
    bool writable_ = false;  // this process owns the state folder
    std::mutex entries_mutex_;
    std::map<std::string, std::unique_ptr<Entry>> entries_;
};

}  // namespace sightline::evaluator_columnar
