#include "tenant_snapshots.hpp"

#include <malloc.h>

#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "snapshot_file.hpp"
#include "snapshot_source.hpp"

namespace sightline::evaluator_columnar {

namespace sp = sightline::plugin;

namespace {

// Whether `held` already reflects everything `now` does (a snapshot built by another request
// after this one read its version).
bool covers(const sp::DataVersion& held, const sp::DataVersion& now) {
    return held.incarnation == now.incarnation && held.removals == now.removals &&
           held.mark >= now.mark;
}

}  // namespace

TenantSnapshots::TenantSnapshots(ColumnarConfig config, sp::HostServices* host)
    : config_(std::move(config)), host_(host) {
    if (!host_ || !config_.persist) return;
    try {
        dir_ = host_->state_dir();
    } catch (const std::exception& e) {
        warn("columnar_state_dir_unavailable", "", e.what());
        return;
    }
    // Another user's process (an operator running a command as themselves) reads the files of
    // the folder's owner but never writes: files it left would be ones `serve` cannot replace.
    struct stat st {};
    writable_ = ::stat(dir_.c_str(), &st) == 0 && st.st_uid == ::geteuid();
}

std::string TenantSnapshots::file_for(const std::string& tenant) const {
    if (dir_.empty()) return "";
    // Named by a hash of the id: tenant ids never become file names.
    char name[48];
    std::snprintf(name, sizeof name, "tenant-%016llx.snapshot",
                  static_cast<unsigned long long>(XXH3_64bits(tenant.data(), tenant.size())));
    return dir_ + "/" + name;
}

TenantSnapshots::Entry& TenantSnapshots::entry(const std::string& tenant) {
    std::lock_guard<std::mutex> lock(entries_mutex_);
    auto& e = entries_[tenant];
    if (!e) e = std::make_unique<Entry>();
    return *e;
}

void TenantSnapshots::warn(const std::string& event, const std::string& tenant,
                           const std::string& detail) {
    if (!host_) return;
    sp::LogFields fields{{"detail", detail}};
    if (!tenant.empty()) fields["tenant"] = tenant;
    host_->log(sp::LogLevel::warn, event, fields);
}

std::string TenantSnapshots::last_source(const std::string& tenant) {
    Entry& e = entry(tenant);
    std::lock_guard<std::mutex> lock(e.guard);
    return e.source;
}

SnapshotPtr TenantSnapshots::open_file(const std::string& tenant, const sp::DataVersion& version) {
    const std::string path = file_for(tenant);
    if (path.empty()) return nullptr;
    std::string why;
    SnapshotPtr s = read_snapshot_file(path, why);
    if (!s) {
        if (why != "missing") warn("columnar_snapshot_file_refused", tenant, why + "; rebuilding");
        return nullptr;
    }
    if (s->version != version) {
        warn("columnar_snapshot_file_refused", tenant,
             "data version " + s->version.text() + ", the store's is " + version.text() +
                 "; rebuilding");
        return nullptr;
    }
    return s;
}

void TenantSnapshots::persist(const std::string& tenant, const Snapshot& snapshot, bool removed) {
    const std::string path = file_for(tenant);
    if (path.empty() || !writable_) return;
    try {
        write_snapshot_file(path, snapshot);
    } catch (const std::exception& e) {
        warn("columnar_snapshot_write_failed", tenant, e.what());
        // A file that still holds removed lines must not stay behind.
        if (removed && ::unlink(path.c_str()) != 0 && errno != ENOENT)
            warn("columnar_snapshot_remove_failed", tenant, path);
    }
}

SnapshotPtr TenantSnapshots::current(const std::string& tenant, sp::TenantStore& store) {
    if (tenant.empty()) return build_unversioned(store);
    const sp::DataVersion now = store.data_version();
    if (!now.known()) return build_unversioned(store);

    Entry& e = entry(tenant);
    {
        std::lock_guard<std::mutex> lock(e.guard);
        if (e.snapshot && covers(e.snapshot->version, now)) {
            e.source = "resident";
            return e.snapshot;
        }
    }
    std::lock_guard<std::mutex> building(e.build);
    SnapshotPtr old;
    bool try_file = false;
    {
        std::lock_guard<std::mutex> lock(e.guard);
        // Built by the request this one waited for.
        if (e.snapshot && covers(e.snapshot->version, now)) return e.snapshot;
        old = e.snapshot;
        try_file = !old && !e.file_tried;
        e.file_tried = true;
    }
    SnapshotPtr fresh;
    std::string source;
    if (try_file && (fresh = open_file(tenant, now))) source = "opened";
    if (!fresh && old && old->version.incarnation == now.incarnation &&
        old->version.removals == now.removals && (fresh = build_extension(store, *old)))
        source = "extended";
    if (!fresh) {
        // Requests that arrive now wait for this build, and those already running hold their
        // own reference: the resident snapshot is of no further use, and freeing it as soon as
        // they finish keeps the build's peak to one tenant's snapshot plus the builder.
        const size_t expected = old ? old->lines() : 0;
        {
            std::lock_guard<std::mutex> lock(e.guard);
            e.snapshot.reset();
        }
        old.reset();
        fresh = build_full(store, expected);
        source = "built";
    }
    if (source != "opened") {
        // Only an extension keeps every line the file held; anything else may have removed some.
        const bool removed = source != "extended";
        persist(tenant, *fresh, removed);
        // A removal that committed while this snapshot was built or written: its process
        // removes the file after its commit (data_removed), and this check, after the rename,
        // removes it in the other order. Either way no file keeps the removed lines.
        const sp::DataVersion after = store.data_version();
        if (after.incarnation != fresh->version.incarnation ||
            after.removals != fresh->version.removals)
            remove_file(tenant);
    }
    {
        std::lock_guard<std::mutex> lock(e.guard);
        e.snapshot = fresh;
        e.source = source;
    }
    // The builder's arrays are freed by now: hand their pages back to the system, so that the
    // steady size of `serve` is its snapshots, not the last build's peak.
    ::malloc_trim(0);
    return fresh;
}

void TenantSnapshots::remove_file(const std::string& tenant) {
    const std::string path = file_for(tenant);
    if (!path.empty() && ::unlink(path.c_str()) != 0 && errno != ENOENT)
        warn("columnar_snapshot_remove_failed", tenant, path + ": " + std::strerror(errno));
}

void TenantSnapshots::forget(const std::string& tenant) {
    {
        Entry& e = entry(tenant);
        std::lock_guard<std::mutex> lock(e.guard);
        e.snapshot.reset();
        e.file_tried = true;  // nothing worth opening is left
    }
    remove_file(tenant);
}

std::string TenantSnapshots::declines(const std::string& tenant, sp::TenantStore& store) {
    const uint64_t limit = config_.limit_for(tenant);
    if (limit == 0) return "";
    const sp::DataVersion now = store.data_version();
    Entry& e = entry(tenant);
    uint64_t lines = 0;
    bool counted = false;
    {
        std::lock_guard<std::mutex> lock(e.guard);
        if (now.known() && e.decided_version == now.text()) return e.decision;
        // A resident snapshot of the same storage counts its lines, give or take those of the
        // loads since: the limit bounds memory, and this spares a count over the whole tenant
        // (stats(), seconds at ten million lines on PostgreSQL) after every load.
        if (e.snapshot && e.snapshot->version.incarnation == now.incarnation) {
            lines = e.snapshot->lines();
            counted = true;
        }
    }
    if (!counted) lines = store.stats().lines;
    std::string decision;
    if (lines > limit)
        decision = "the tenant has " + std::to_string(lines) +
                   " sales lines, more than max_resident_lines (" + std::to_string(limit) + ")";
    std::lock_guard<std::mutex> lock(e.guard);
    if (now.known()) {
        e.decided_version = now.text();
        e.decision = decision;
    }
    // Memory goes to tenants that are answered.
    if (!decision.empty()) e.snapshot.reset();
    return decision;
}

}  // namespace sightline::evaluator_columnar
