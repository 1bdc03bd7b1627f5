// The process-wide budget of target connections (the profile's `target_connections:`): every
// tenant store the host opens, of any tenant and any target section, goes through one pool.
// Without it each tenant kept its own idle connections and `serve` exhausted PostgreSQL's
// max_connections as tenants grew (issue 13).
//
// - A store counts from the moment it is opened until it is closed, idle or in use; so does a
//   target's admin work (drop). At most `max` at once.
// - Idle stores are kept and reused, the tenant's most recently used one first. When the budget
//   is taken and a store of another tenant is needed, the least recently used idle store of any
//   tenant is closed first, then the new one opened: the server never sees more than `max`.
// - When every store of the budget is in use, a request waits up to `wait_ms` for one to come
//   back, then fails with TargetBusy (transient: loads are retried, the API answers 503).
// - An idle store is asked alive() (plugin API 1.4) before it is handed out again; a dead one is
//   closed and replaced. A store whose call threw is closed rather than kept.
// - The stores handed out speak the whole current TenantStore API whatever the plugin's minor:
//   methods the plugin predates get the answers of an older target (unknown data versions).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "sightline/core/profile.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::core {

// Every connection of the budget is in use and none came back within wait_ms.
class TargetBusy : public plugin::Error {
public:
    explicit TargetBusy(const std::string& what) : plugin::Error(what, /*transient=*/true) {}
};

class StorePool {
public:
    explicit StorePool(TargetConnections budget);
    // Closes the idle stores. Stores still in use are closed when their holders let go.
    ~StorePool();
    StorePool(const StorePool&) = delete;
    StorePool& operator=(const StorePool&) = delete;

    // A reload: a lower max closes idle stores until the count fits (stores in use are closed
    // as they come back).
    void set_budget(TargetConnections budget);
    TargetConnections budget() const;

    // A store of the tenant in target, back in the pool when the returned object and any
    // LoadTransaction it began are destroyed. api_minor: the minor of the plugin API the
    // target's plugin was built against; the store never calls a method added after it (alive()
    // from 1.4; data_version(), scan_sales_after(), scan_catalog() and check() from 1.5, which
    // an older plugin's store answers as documented in store_pool.cpp). Throws TargetBusy, or
    // what target.open() throws.
    std::unique_ptr<plugin::TenantStore> open(plugin::Target& target, const std::string& tenant,
                                              uint32_t api_minor);
    // A store of the tenant's beside storage (plugin API 1.6, Target::open_beside, which the
    // target's plugin must provide): it counts against the budget like any store but is never
    // kept idle nor handed to anyone else; it is closed when let go. Throws TargetBusy, or what
    // target.open_beside() throws.
    std::unique_ptr<plugin::TenantStore> open_beside(plugin::Target& target,
                                                     const std::string& tenant, uint32_t api_minor);
    // Runs fn while holding one connection of the budget without a store (a target's admin
    // connection, e.g. to drop a database). Throws TargetBusy.
    void with_connection(const std::function<void()>& fn);
    // Closes the idle stores of a tenant (before its database is dropped).
    void close_idle(const plugin::Target& target, const std::string& tenant);
    // Closes the idle stores unused for budget().idle_ms or longer at now (none when idle_ms is
    // 0), so that a quiet server gives its connections back; returns how many. `serve` calls it
    // every few seconds.
    int close_unused(std::chrono::steady_clock::time_point now);

    struct Counts {
        int in_use = 0;  // handed out, being opened or closed, or admin work
        int idle = 0;
        uint64_t busy = 0;  // requests answered "busy" since the pool was made
    };
    Counts counts() const;

    struct Shared;  // shared with the stores handed out, which may outlive the pool

private:
    std::shared_ptr<Shared> shared_;
};

}  // namespace sightline::core
