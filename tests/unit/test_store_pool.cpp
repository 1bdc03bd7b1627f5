// The process-wide budget of target connections (core::StorePool) with a fake target that counts
// its open stores: reuse, least recently used closed first across tenants, a bounded wait then
// "busy", dead and broken stores replaced, and never more open stores than the budget.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "sightline/core/store_pool.hpp"

using namespace sightline;
using core::StorePool;
using core::TargetBusy;
using core::TargetConnections;

namespace {

class FakeTarget;

class FakeStore final : public plugin::TenantStore {
public:
    FakeStore(FakeTarget& target, std::string tenant, int serial);
    ~FakeStore() override;
    std::optional<plugin::FileRecord> find_loaded(const std::string&) override {
        return std::nullopt;
    }
    std::unique_ptr<plugin::LoadTransaction> begin_load(const plugin::LoadSpec&) override;
    void record(const plugin::FileRecord&) override {}
    std::vector<plugin::FileRecord> history() override { return {}; }
    plugin::TenantStats stats() override {
        if (failing()) throw plugin::Error("connection lost", true);
        plugin::TenantStats s;
        s.lines = static_cast<uint64_t>(serial);  // tells the test which store answered
        return s;
    }
    std::vector<plugin::Column> custom_columns() override { return {}; }
    void scan_sales(const std::function<void(const plugin::Value*)>&) override {}
    void query(const std::string&, const std::vector<plugin::Value>&,
               const std::function<void(const plugin::SqlRow&)>&) override {}
    bool alive() override;
    bool failing();

    FakeTarget& target;
    std::string tenant;
    int serial;
};

class FakeTransaction final : public plugin::LoadTransaction {
public:
    explicit FakeTransaction(bool& open) : open_(open) { open_ = true; }
    ~FakeTransaction() override { open_ = false; }
    void append(const plugin::Value*) override {}
    void commit(const plugin::FileRecord&) override {}

private:
    bool& open_;
};

class FakeTarget final : public plugin::Target {
public:
    std::string dialect() const override { return "sqlite"; }
    std::unique_ptr<plugin::TenantStore> open(const std::string& tenant) override {
        std::lock_guard<std::mutex> lock(mutex);
        ++opened;
        max_live = std::max(max_live, ++live);
        return std::make_unique<FakeStore>(*this, tenant, opened);
    }
    int live_now() {
        std::lock_guard<std::mutex> lock(mutex);
        return live;
    }

    std::mutex mutex;
    int opened = 0, live = 0, max_live = 0;
    std::vector<std::string> closed;  // tenants, in closing order
    std::set<int> dead;               // serials whose alive() says false
    std::set<int> failing;            // serials whose calls throw
    int alive_calls = 0;
    bool transaction_open = false;
};

FakeStore::FakeStore(FakeTarget& t, std::string id, int n)
    : target(t), tenant(std::move(id)), serial(n) {}
FakeStore::~FakeStore() {
    std::lock_guard<std::mutex> lock(target.mutex);
    --target.live;
    target.closed.push_back(tenant);
}
bool FakeStore::alive() {
    std::lock_guard<std::mutex> lock(target.mutex);
    ++target.alive_calls;
    return !target.dead.count(serial);
}
bool FakeStore::failing() {
    std::lock_guard<std::mutex> lock(target.mutex);
    return target.failing.count(serial) > 0;
}
std::unique_ptr<plugin::LoadTransaction> FakeStore::begin_load(const plugin::LoadSpec&) {
    return std::make_unique<FakeTransaction>(target.transaction_open);
}

uint64_t serial_of(plugin::TenantStore& store) { return store.stats().lines; }

TargetConnections budget(int max, int wait_ms) {
    TargetConnections b;
    b.max = max;
    b.wait_ms = wait_ms;
    return b;
}

}  // namespace

TEST(StorePool, ReusesAnIdleStoreOfTheSameTenant) {
    FakeTarget target;
    StorePool pool(budget(4, 0));
    uint64_t first = 0;
    {
        auto s = pool.open(target, "a", true);
        first = serial_of(*s);
    }
    EXPECT_EQ(pool.counts().idle, 1);
    auto again = pool.open(target, "a", true);
    EXPECT_EQ(serial_of(*again), first);
    EXPECT_EQ(target.opened, 1);
    EXPECT_EQ(pool.counts().in_use, 1);
    EXPECT_EQ(pool.counts().idle, 0);
}

TEST(StorePool, IdleStoresUnusedForIdleMsAreClosedOthersKept) {
    FakeTarget target;
    TargetConnections b = budget(4, 0);
    b.idle_ms = 60'000;
    StorePool pool(b);
    const auto before = std::chrono::steady_clock::now();
    pool.open(target, "a", true).reset();
    auto held = pool.open(target, "b", true);  // in use: never closed for being idle
    EXPECT_EQ(pool.close_unused(before + std::chrono::seconds(59)), 0);
    EXPECT_EQ(target.live_now(), 2);
    EXPECT_EQ(pool.close_unused(std::chrono::steady_clock::now() + std::chrono::seconds(60)), 1);
    EXPECT_EQ(target.closed, std::vector<std::string>{"a"});
    EXPECT_EQ(pool.counts().idle, 0);
    EXPECT_EQ(pool.counts().in_use, 1);
    held.reset();
    b.idle_ms = 0;  // kept until needed
    pool.set_budget(b);
    EXPECT_EQ(pool.close_unused(std::chrono::steady_clock::now() + std::chrono::hours(24)), 0);
    EXPECT_EQ(pool.counts().idle, 1);
}

TEST(StorePool, CountsTheRequestsItAnsweredBusy) {
    FakeTarget target;
    StorePool pool(budget(2, 0));
    auto a = pool.open(target, "a", true);
    auto b = pool.open(target, "b", true);
    EXPECT_EQ(pool.counts().busy, 0u);
    EXPECT_THROW(pool.open(target, "c", true), TargetBusy);
    EXPECT_THROW(pool.open(target, "c", true), TargetBusy);
    EXPECT_EQ(pool.counts().busy, 2u);
}

TEST(StorePool, ClosesTheLeastRecentlyUsedIdleStoreAcrossTenants) {
    FakeTarget target;
    StorePool pool(budget(2, 0));
    pool.open(target, "a", true).reset();
    pool.open(target, "b", true).reset();
    pool.open(target, "a", true).reset();  // a used again: b is now the oldest
    EXPECT_EQ(target.live_now(), 2);
    auto c = pool.open(target, "c", true);
    EXPECT_EQ(target.closed, std::vector<std::string>{"b"});
    EXPECT_EQ(target.max_live, 2);
    c.reset();
    pool.open(target, "a", true).reset();  // still idle: no new store
    EXPECT_EQ(target.opened, 3);
}

TEST(StorePool, WaitsForAStoreThenSaysBusy) {
    FakeTarget target;
    StorePool pool(budget(2, 150));
    auto a = pool.open(target, "a", true);
    auto b = pool.open(target, "b", true);
    const auto started = std::chrono::steady_clock::now();
    try {
        pool.open(target, "c", true);
        FAIL() << "a third store was opened over a budget of 2";
    } catch (const TargetBusy& e) {
        EXPECT_TRUE(e.transient());
        EXPECT_NE(std::string(e.what()).find("target_connections.max"), std::string::npos)
            << e.what();
    }
    EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(150));
    EXPECT_EQ(target.max_live, 2);
    EXPECT_EQ(pool.counts().in_use, 2);  // the failed request holds nothing
}

TEST(StorePool, AWaitingRequestGetsTheStoreThatComesBack) {
    FakeTarget target;
    StorePool pool(budget(2, 5000));
    auto a = pool.open(target, "a", true);
    auto b = pool.open(target, "b", true);
    std::thread releaser([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        b.reset();
    });
    auto c = pool.open(target, "c", true);  // b's idle store is closed for it
    releaser.join();
    EXPECT_EQ(target.max_live, 2);
    EXPECT_EQ(target.closed, std::vector<std::string>{"b"});
}

TEST(StorePool, ADeadIdleStoreIsReplaced) {
    FakeTarget target;
    StorePool pool(budget(2, 0));
    int dead_serial = 0;
    {
        auto s = pool.open(target, "a", true);
        dead_serial = static_cast<int>(serial_of(*s));
    }
    target.dead.insert(dead_serial);  // the server closed it meanwhile
    auto s = pool.open(target, "a", true);
    EXPECT_NE(static_cast<int>(serial_of(*s)), dead_serial);
    EXPECT_EQ(target.closed, std::vector<std::string>{"a"});
    EXPECT_EQ(target.live_now(), 1);
}

TEST(StorePool, AnOlderPluginsStoresAreNotAskedWhetherTheyAreAlive) {
    FakeTarget target;
    StorePool pool(budget(2, 0));
    pool.open(target, "a", false).reset();
    pool.open(target, "a", false).reset();
    EXPECT_EQ(target.alive_calls, 0);
    EXPECT_EQ(target.opened, 1);
}

TEST(StorePool, AStoreWhoseCallThrewIsClosedNotKept) {
    FakeTarget target;
    StorePool pool(budget(2, 0));
    {
        auto s = pool.open(target, "a", true);
        EXPECT_EQ(dynamic_cast<FakeStore*>(s.get()), nullptr);  // the pool's wrapper
        target.failing.insert(1);
        EXPECT_THROW(s->stats(), plugin::Error);
    }
    EXPECT_EQ(pool.counts().idle, 0);
    EXPECT_EQ(target.live_now(), 0);
    auto s = pool.open(target, "a", true);
    EXPECT_EQ(target.opened, 2);
}

TEST(StorePool, ALoadTransactionKeepsItsStoreOutOfThePool) {
    FakeTarget target;
    StorePool pool(budget(2, 0));
    auto s = pool.open(target, "a", true);
    auto transaction = s->begin_load(plugin::LoadSpec{});
    s.reset();
    EXPECT_EQ(pool.counts().idle, 0);
    EXPECT_EQ(pool.counts().in_use, 1);
    transaction.reset();
    EXPECT_FALSE(target.transaction_open);
    EXPECT_EQ(pool.counts().idle, 1);
    EXPECT_EQ(pool.counts().in_use, 0);
}

TEST(StorePool, AdminWorkCountsAgainstTheBudget) {
    FakeTarget target;
    StorePool pool(budget(2, 0));
    auto a = pool.open(target, "a", true);
    pool.open(target, "b", true).reset();
    bool ran = false;
    pool.with_connection([&] {
        ran = true;
        EXPECT_EQ(target.live_now(), 1);  // b's idle store was closed to make room
    });
    EXPECT_TRUE(ran);
    auto c = pool.open(target, "c", true);
    EXPECT_THROW(pool.with_connection([] {}), TargetBusy);
}

TEST(StorePool, ALowerBudgetClosesIdleStores) {
    FakeTarget target;
    StorePool pool(budget(4, 0));
    for (const char* t : {"a", "b", "c", "d"}) pool.open(target, t, true).reset();
    EXPECT_EQ(target.live_now(), 4);
    pool.set_budget(budget(2, 0));
    EXPECT_EQ(target.live_now(), 2);
    EXPECT_EQ(target.closed, (std::vector<std::string>{"a", "b"}));
}

TEST(StorePool, ManyThreadsNeverHoldMoreThanTheBudget) {
    FakeTarget target;
    StorePool pool(budget(5, 10'000));
    std::atomic<int> done{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            std::mt19937 rng(static_cast<unsigned>(t));
            for (int i = 0; i < 300; ++i) {
                auto s = pool.open(target, "t" + std::to_string(rng() % 30), true);
                if (i % 7 == 0) std::this_thread::yield();
                ++done;
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(done.load(), 8 * 300);
    EXPECT_LE(target.max_live, 5);
    EXPECT_LE(pool.counts().idle, 5);
    EXPECT_EQ(pool.counts().in_use, 0);
}
