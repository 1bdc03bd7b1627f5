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
    // API 1.5, answered as a 1.5 plugin would (what a 1.4 plugin's store is never asked).
    plugin::DataVersion data_version() override { return {"inc", 1, 2}; }
    void scan_sales_after(uint64_t mark, plugin::SalesScan& out,
                          const std::function<void(const plugin::Value*)>&) override {
        out.version = {"inc", 1, mark};
    }
    void scan_catalog(const std::function<void(std::string_view, std::string_view)>& fn) override {
        fn("x", "A>B");
    }
    void check() override {}

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

constexpr uint32_t kCurrent = SIGHTLINE_PLUGIN_API_MINOR;

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
        auto s = pool.open(target, "a", kCurrent);
        first = serial_of(*s);
    }
    EXPECT_EQ(pool.counts().idle, 1);
    auto again = pool.open(target, "a", kCurrent);
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
    pool.open(target, "a", kCurrent).reset();
    auto held = pool.open(target, "b", kCurrent);  // in use: never closed for being idle
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
    auto a = pool.open(target, "a", kCurrent);
    auto b = pool.open(target, "b", kCurrent);
    EXPECT_EQ(pool.counts().busy, 0u);
    EXPECT_THROW(pool.open(target, "c", kCurrent), TargetBusy);
    EXPECT_THROW(pool.open(target, "c", kCurrent), TargetBusy);
    EXPECT_EQ(pool.counts().busy, 2u);
}

TEST(StorePool, ClosesTheLeastRecentlyUsedIdleStoreAcrossTenants) {
    FakeTarget target;
    StorePool pool(budget(2, 0));
    pool.open(target, "a", kCurrent).reset();
    pool.open(target, "b", kCurrent).reset();
    pool.open(target, "a", kCurrent).reset();  // a used again: b is now the oldest
    EXPECT_EQ(target.live_now(), 2);
    auto c = pool.open(target, "c", kCurrent);
    EXPECT_EQ(target.closed, std::vector<std::string>{"b"});
    EXPECT_EQ(target.max_live, 2);
    c.reset();
    pool.open(target, "a", kCurrent).reset();  // still idle: no new store
    EXPECT_EQ(target.opened, 3);
}

TEST(StorePool, WaitsForAStoreThenSaysBusy) {
    FakeTarget target;
    StorePool pool(budget(2, 150));
    auto a = pool.open(target, "a", kCurrent);
    auto b = pool.open(target, "b", kCurrent);
    const auto started = std::chrono::steady_clock::now();
    try {
        pool.open(target, "c", kCurrent);
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
    auto a = pool.open(target, "a", kCurrent);
    auto b = pool.open(target, "b", kCurrent);
    std::thread releaser([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        b.reset();
    });
    auto c = pool.open(target, "c", kCurrent);  // b's idle store is closed for it
    releaser.join();
    EXPECT_EQ(target.max_live, 2);
    EXPECT_EQ(target.closed, std::vector<std::string>{"b"});
}

TEST(StorePool, ADeadIdleStoreIsReplaced) {
    FakeTarget target;
    StorePool pool(budget(2, 0));
    int dead_serial = 0;
    {
        auto s = pool.open(target, "a", kCurrent);
        dead_serial = static_cast<int>(serial_of(*s));
    }
    target.dead.insert(dead_serial);  // the server closed it meanwhile
    auto s = pool.open(target, "a", kCurrent);
    EXPECT_NE(static_cast<int>(serial_of(*s)), dead_serial);
    EXPECT_EQ(target.closed, std::vector<std::string>{"a"});
    EXPECT_EQ(target.live_now(), 1);
}

TEST(StorePool, AnOlderPluginsStoresAreNotAskedWhetherTheyAreAlive) {
    FakeTarget target;
    StorePool pool(budget(2, 0));
    pool.open(target, "a", 3).reset();
    pool.open(target, "a", 3).reset();
    EXPECT_EQ(target.alive_calls, 0);
    EXPECT_EQ(target.opened, 1);
}

TEST(StorePool, AStoreWhoseCallThrewIsClosedNotKept) {
    FakeTarget target;
    StorePool pool(budget(2, 0));
    {
        auto s = pool.open(target, "a", kCurrent);
        EXPECT_EQ(dynamic_cast<FakeStore*>(s.get()), nullptr);  // the pool's wrapper
        target.failing.insert(1);
        EXPECT_THROW(s->stats(), plugin::Error);
    }
    EXPECT_EQ(pool.counts().idle, 0);
    EXPECT_EQ(target.live_now(), 0);
    auto s = pool.open(target, "a", kCurrent);
    EXPECT_EQ(target.opened, 2);
}

TEST(StorePool, ALoadTransactionKeepsItsStoreOutOfThePool) {
    FakeTarget target;
    StorePool pool(budget(2, 0));
    auto s = pool.open(target, "a", kCurrent);
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
    auto a = pool.open(target, "a", kCurrent);
    pool.open(target, "b", kCurrent).reset();
    bool ran = false;
    pool.with_connection([&] {
        ran = true;
        EXPECT_EQ(target.live_now(), 1);  // b's idle store was closed to make room
    });
    EXPECT_TRUE(ran);
    auto c = pool.open(target, "c", kCurrent);
    EXPECT_THROW(pool.with_connection([] {}), TargetBusy);
}

TEST(StorePool, ALowerBudgetClosesIdleStores) {
    FakeTarget target;
    StorePool pool(budget(4, 0));
    for (const char* t : {"a", "b", "c", "d"}) pool.open(target, t, kCurrent).reset();
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
                auto s = pool.open(target, "t" + std::to_string(rng() % 30), kCurrent);
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

TEST(StorePool, APlugin15StoreAnswersTheDataVersionCalls) {
    FakeTarget target;
    StorePool pool(budget(1, 0));
    auto s = pool.open(target, "a", 5);
    EXPECT_EQ(s->data_version(), (plugin::DataVersion{"inc", 1, 2}));
    plugin::SalesScan scan;
    s->scan_sales_after(7, scan, [](const plugin::Value*) {});
    EXPECT_EQ(scan.version.mark, 7u);
    int pairs = 0;
    s->scan_catalog([&](std::string_view, std::string_view) { ++pairs; });
    EXPECT_EQ(pairs, 1);
    EXPECT_NO_THROW(s->check());
}

TEST(StorePool, APlugin14StoreHasUnknownVersionsAndIsNeverAskedThe15Calls) {
    FakeTarget target;
    StorePool pool(budget(1, 0));
    auto s = pool.open(target, "a", 4);
    EXPECT_FALSE(s->data_version().known());
    plugin::SalesScan scan;
    scan.version = {"stale", 9, 9};
    scan.custom = {{"s_x", plugin::ValueType::string}};
    s->scan_sales_after(0, scan, [](const plugin::Value*) {});
    EXPECT_FALSE(scan.version.known());
    EXPECT_TRUE(scan.custom.empty());  // custom_columns() of the store
    EXPECT_THROW(s->scan_sales_after(3, scan, [](const plugin::Value*) {}), plugin::Error);
    EXPECT_THROW(s->scan_catalog([](std::string_view, std::string_view) {}), plugin::Error);
    EXPECT_NO_THROW(s->check());
    // None of the throws above was the store's: it is kept for reuse.
    s.reset();
    pool.open(target, "a", 4).reset();
    EXPECT_EQ(target.opened, 1);
}
