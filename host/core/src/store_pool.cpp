#include "sightline/core/store_pool.hpp"

#include <chrono>
#include <condition_variable>
#include <list>
#include <mutex>
#include <utility>
#include <vector>

namespace sightline::core {

using Stores = std::vector<std::unique_ptr<plugin::TenantStore>>;

struct StorePool::Shared {
    struct Idle {
        const plugin::Target* target;
        std::string tenant;
        std::unique_ptr<plugin::TenantStore> store;
        std::chrono::steady_clock::time_point since;  // idle since
    };

    mutable std::mutex mutex;
    std::condition_variable returned;  // a slot or an idle store came back
    TargetConnections budget;
    int in_use = 0;        // slots held outside the idle list (opening, open, closing, admin)
    std::list<Idle> idle;  // most recently used first
    bool closed = false;   // the pool is gone: stores coming back are closed
    uint64_t busy = 0;     // requests that waited wait_ms in vain, since the start

    int total() const { return in_use + static_cast<int>(idle.size()); }

    // Takes a slot, waiting for one up to wait_ms. With want_idle, prefers the tenant's own idle
    // store (returned); otherwise the slot is free, and the least recently used idle store of
    // any tenant, if one had to give up its slot, is in `victim` for the caller to close.
    std::unique_ptr<plugin::TenantStore> acquire(const plugin::Target* target,
                                                 const std::string* tenant,
                                                 std::unique_ptr<plugin::TenantStore>& victim) {
        std::unique_lock<std::mutex> lock(mutex);
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::milliseconds(budget.wait_ms);
        for (;;) {
            if (target) {
                for (auto it = idle.begin(); it != idle.end(); ++it) {
                    if (it->target != target || it->tenant != *tenant) continue;
                    auto store = std::move(it->store);
                    idle.erase(it);
                    ++in_use;
                    return store;
                }
            }
            if (total() < budget.max) {
                ++in_use;
                return nullptr;
            }
            if (!idle.empty()) {
                victim = std::move(idle.back().store);
                idle.pop_back();
                ++in_use;
                return nullptr;
            }
            if (returned.wait_until(lock, deadline) == std::cv_status::timeout &&
                std::chrono::steady_clock::now() >= deadline) {
                // One last look: a slot may have come back just as the wait ended.
                if (total() < budget.max || !idle.empty()) continue;
                ++busy;
                throw TargetBusy(
                    "all " + std::to_string(budget.max) +
                    " target connections of this process are in use (target_connections.max); "
                    "none came back within " +
                    std::to_string(budget.wait_ms) + " ms" +
                    (tenant ? " for tenant '" + *tenant + "'" : std::string()) +
                    "; try again later");
            }
        }
    }

    // Gives a slot back, with its store to keep idle (or null: the slot only). A store is closed
    // before its slot is free, so the server never sees more than max connections.
    void release(const plugin::Target* target, const std::string& tenant,
                 std::unique_ptr<plugin::TenantStore> store) {
        Stores to_close;
        int freed = 1;  // the caller's slot, unless its store stays idle
        {
            std::lock_guard<std::mutex> lock(mutex);
            if (store && !closed) {
                idle.push_front(
                    {target, tenant, std::move(store), std::chrono::steady_clock::now()});
                --in_use;
                freed = 0;
                // A lowered budget: the least recently used idle stores go.
                while (total() > budget.max && !idle.empty()) {
                    to_close.push_back(std::move(idle.back().store));
                    idle.pop_back();
                    ++in_use;
                    ++freed;
                }
                if (freed == 0) {
                    returned.notify_all();
                    return;
                }
            }
        }
        store.reset();
        to_close.clear();
        std::lock_guard<std::mutex> lock(mutex);
        in_use -= freed;
        returned.notify_all();
    }

    // Frees a slot taken by acquire() whose store was closed (or never opened).
    void release_slot() { release(nullptr, std::string(), nullptr); }
};

namespace {

// One store handed out: back to the pool when the last of its holders (the store handed out,
// a LoadTransaction it began) lets go; closed instead when a call on it threw.
struct Lease {
    std::shared_ptr<StorePool::Shared> shared;
    const plugin::Target* target;
    std::string tenant;
    std::unique_ptr<plugin::TenantStore> store;
    uint32_t api_minor = 0;  // of the plugin: its store has the methods up to this minor
    bool broken = false;
    bool reusable = true;  // false: closed when let go (a beside store is nobody else's)

    ~Lease() {
        if (broken || !reusable) store.reset();
        shared->release(target, tenant, std::move(store));
    }

    // Runs a call on the store; an exception marks it broken (a dropped connection, a failed
    // statement): it is closed rather than handed out again.
    template <typename F>
    auto call(F&& f) -> decltype(f(*store)) {
        try {
            return f(*store);
        } catch (...) {
            broken = true;
            throw;
        }
    }
};

class PooledTransaction final : public plugin::LoadTransaction {
public:
    PooledTransaction(std::shared_ptr<Lease> lease, std::unique_ptr<plugin::LoadTransaction> inner)
        : lease_(std::move(lease)), inner_(std::move(inner)) {}
    void append(const plugin::Value* values) override {
        lease_->call([&](plugin::TenantStore&) { inner_->append(values); });
    }
    void commit(const plugin::FileRecord& record) override {
        lease_->call([&](plugin::TenantStore&) { inner_->commit(record); });
    }

private:
    std::shared_ptr<Lease> lease_;  // declared first: the transaction ends before the lease
    std::unique_ptr<plugin::LoadTransaction> inner_;
};

class PooledStore final : public plugin::TenantStore {
public:
    explicit PooledStore(std::shared_ptr<Lease> lease) : lease_(std::move(lease)) {}

    std::optional<plugin::FileRecord> find_loaded(const std::string& sha256) override {
        return lease_->call([&](plugin::TenantStore& s) { return s.find_loaded(sha256); });
    }
    std::unique_ptr<plugin::LoadTransaction> begin_load(const plugin::LoadSpec& spec) override {
        auto inner = lease_->call([&](plugin::TenantStore& s) { return s.begin_load(spec); });
        return std::make_unique<PooledTransaction>(lease_, std::move(inner));
    }
    void record(const plugin::FileRecord& record) override {
        lease_->call([&](plugin::TenantStore& s) { s.record(record); });
    }
    std::vector<plugin::FileRecord> history() override {
        return lease_->call([&](plugin::TenantStore& s) { return s.history(); });
    }
    plugin::TenantStats stats() override {
        return lease_->call([&](plugin::TenantStore& s) { return s.stats(); });
    }
    std::vector<plugin::Column> custom_columns() override {
        return lease_->call([&](plugin::TenantStore& s) { return s.custom_columns(); });
    }
    void scan_sales(const std::function<void(const plugin::Value* row)>& fn) override {
        lease_->call([&](plugin::TenantStore& s) { s.scan_sales(fn); });
    }
    void query(const std::string& sql, const std::vector<plugin::Value>& params,
               const std::function<void(const plugin::SqlRow&)>& row) override {
        lease_->call([&](plugin::TenantStore& s) { s.query(sql, params, row); });
    }
    // API 1.1: the callers check the plugin's minor before they call these, as before.
    plugin::DeletionResult delete_lines(const plugin::DeletionRequest& request) override {
        return lease_->call([&](plugin::TenantStore& s) { return s.delete_lines(request); });
    }
    std::vector<plugin::DeletionRecord> deletions() override {
        return lease_->call([&](plugin::TenantStore& s) { return s.deletions(); });
    }
    // API 1.4: an older plugin's store has no such slot; it is taken as alive.
    bool alive() override {
        return lease_->api_minor < 4 ||
               lease_->call([](plugin::TenantStore& s) { return s.alive(); });
    }

    // API 1.5. An older plugin's store has no such slots: the answers of a target that cannot
    // tell versions apart, so that callers need no check of their own.
    // Unknown: nothing may be kept across calls.
    plugin::DataVersion data_version() override {
        if (lease_->api_minor < 5) return {};
        return lease_->call([](plugin::TenantStore& s) { return s.data_version(); });
    }
    // From 0, every line with an unknown version; later marks exist only for known versions.
    void scan_sales_after(uint64_t mark, plugin::SalesScan& out,
                          const std::function<void(const plugin::Value* row)>& fn) override {
        if (lease_->api_minor >= 5) {
            lease_->call([&](plugin::TenantStore& s) { s.scan_sales_after(mark, out, fn); });
            return;
        }
        if (mark > 0) {
            throw plugin::Error(
                "this target plugin predates plugin API 1.5: it cannot scan "
                "lines after a mark (its data versions are unknown)");
        }
        // The columns and the lines come from two reads here, not one snapshot; a caller cannot
        // keep the result anyway (the version is unknown).
        out.version = {};
        out.custom = custom_columns();
        scan_sales(fn);
    }
    void scan_catalog(
        const std::function<void(std::string_view item, std::string_view path)>& fn) override {
        if (lease_->api_minor < 5) {
            throw plugin::Error(
                "this target plugin predates plugin API 1.5: it cannot read "
                "the catalog for an evaluator (rebuild it against 1.5)");
        }
        lease_->call([&](plugin::TenantStore& s) { s.scan_catalog(fn); });
    }
    // An older plugin: a call that reaches its storage without SQL from the host.
    void check() override {
        if (lease_->api_minor < 5) {
            custom_columns();
            return;
        }
        lease_->call([](plugin::TenantStore& s) { s.check(); });
    }

private:
    std::shared_ptr<Lease> lease_;
};

}  // namespace

StorePool::StorePool(TargetConnections budget) : shared_(std::make_shared<Shared>()) {
    shared_->budget = budget;
}

StorePool::~StorePool() {
    Stores to_close;
    {
        std::lock_guard<std::mutex> lock(shared_->mutex);
        shared_->closed = true;
        for (auto& entry : shared_->idle) to_close.push_back(std::move(entry.store));
        shared_->idle.clear();
    }
}

void StorePool::set_budget(TargetConnections budget) {
    Stores to_close;
    {
        std::lock_guard<std::mutex> lock(shared_->mutex);
        shared_->budget = budget;
        // Their slots stay taken until they are closed.
        while (shared_->total() - static_cast<int>(to_close.size()) > budget.max &&
               !shared_->idle.empty()) {
            to_close.push_back(std::move(shared_->idle.back().store));
            shared_->idle.pop_back();
            ++shared_->in_use;
        }
    }
    const int taken = static_cast<int>(to_close.size());
    to_close.clear();
    std::lock_guard<std::mutex> lock(shared_->mutex);
    shared_->in_use -= taken;
    shared_->returned.notify_all();
}

TargetConnections StorePool::budget() const {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    return shared_->budget;
}

std::unique_ptr<plugin::TenantStore> StorePool::open(plugin::Target& target,
                                                     const std::string& tenant,
                                                     uint32_t api_minor) {
    const bool check_alive = api_minor >= 4;
    std::unique_ptr<plugin::TenantStore> victim;
    std::unique_ptr<plugin::TenantStore> store = shared_->acquire(&target, &tenant, victim);
    // From here the slot is ours: every way out gives it back.
    try {
        victim.reset();  // closed before the new one opens
        if (store && check_alive) {
            bool alive = false;
            try {
                alive = store->alive();
            } catch (...) {
            }
            if (!alive) store.reset();
        }
        if (!store) store = target.open(tenant);
    } catch (...) {
        store.reset();
        shared_->release_slot();
        throw;
    }
    auto lease = std::make_shared<Lease>();
    lease->shared = shared_;
    lease->target = &target;
    lease->tenant = tenant;
    lease->store = std::move(store);
    lease->api_minor = api_minor;
    return std::make_unique<PooledStore>(std::move(lease));
}

std::unique_ptr<plugin::TenantStore> StorePool::open_beside(plugin::Target& target,
                                                            const std::string& tenant,
                                                            uint32_t api_minor) {
    std::unique_ptr<plugin::TenantStore> victim;
    shared_->acquire(nullptr, nullptr, victim);
    std::unique_ptr<plugin::TenantStore> store;
    try {
        victim.reset();
        store = target.open_beside(tenant);
    } catch (...) {
        shared_->release_slot();
        throw;
    }
    auto lease = std::make_shared<Lease>();
    lease->shared = shared_;
    lease->target = &target;
    lease->tenant = tenant;
    lease->store = std::move(store);
    lease->api_minor = api_minor;
    lease->reusable = false;
    return std::make_unique<PooledStore>(std::move(lease));
}

void StorePool::with_connection(const std::function<void()>& fn) {
    std::unique_ptr<plugin::TenantStore> victim;
    shared_->acquire(nullptr, nullptr, victim);
    try {
        victim.reset();
        fn();
    } catch (...) {
        shared_->release_slot();
        throw;
    }
    shared_->release_slot();
}

namespace {

// Closes the idle stores `which` picks, outside the lock; returns how many.
int close_idle_if(StorePool::Shared& shared,
                  const std::function<bool(const StorePool::Shared::Idle&)>& which) {
    Stores to_close;
    int taken = 0;
    {
        std::lock_guard<std::mutex> lock(shared.mutex);
        for (auto it = shared.idle.begin(); it != shared.idle.end();) {
            if (which(*it)) {
                to_close.push_back(std::move(it->store));
                it = shared.idle.erase(it);
                ++shared.in_use;
                ++taken;
            } else {
                ++it;
            }
        }
    }
    to_close.clear();
    std::lock_guard<std::mutex> lock(shared.mutex);
    shared.in_use -= taken;
    shared.returned.notify_all();
    return taken;
}

}  // namespace

void StorePool::close_idle(const plugin::Target& target, const std::string& tenant) {
    close_idle_if(*shared_, [&](const Shared::Idle& idle) {
        return idle.target == &target && idle.tenant == tenant;
    });
}

int StorePool::close_unused(std::chrono::steady_clock::time_point now) {
    int idle_ms = 0;
    {
        std::lock_guard<std::mutex> lock(shared_->mutex);
        idle_ms = shared_->budget.idle_ms;
    }
    if (idle_ms <= 0) return 0;
    const auto limit = std::chrono::milliseconds(idle_ms);
    return close_idle_if(*shared_,
                         [&](const Shared::Idle& idle) { return now - idle.since >= limit; });
}

StorePool::Counts StorePool::counts() const {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    return {shared_->in_use, static_cast<int>(shared_->idle.size()), shared_->busy};
}

}  // namespace sightline::core
