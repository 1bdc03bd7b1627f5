// StorePool::open_beside (plugin API 1.6): a restore's beside store counts against the budget of
// target connections like any store, and is closed when let go: never kept idle, never handed
// to a reader of the tenant (it holds another storage than the tenant's).
#include <gtest/gtest.h>

#include <string>

#include "sightline/core/store_pool.hpp"

namespace sightline::core {
namespace {

// Counts the stores open at once: the pool closes a store by destroying it.
class Store final : public plugin::TenantStore {
public:
    explicit Store(int& live) : live_(live) { ++live_; }
    ~Store() override { --live_; }
    std::optional<plugin::FileRecord> find_loaded(const std::string&) override {
        return std::nullopt;
    }
    std::unique_ptr<plugin::LoadTransaction> begin_load(const plugin::LoadSpec&) override {
        throw plugin::Error("not in this test");
    }
    void record(const plugin::FileRecord&) override {}
    std::vector<plugin::FileRecord> history() override { return {}; }
    plugin::TenantStats stats() override { return {}; }
    std::vector<plugin::Column> custom_columns() override { return {}; }
    void scan_sales(const std::function<void(const plugin::Value*)>&) override {}
    void query(const std::string&, const std::vector<plugin::Value>&,
               const std::function<void(const plugin::SqlRow&)>&) override {}

private:
    int& live_;
};

class SwappingTarget final : public plugin::Target {
public:
    std::string dialect() const override { return "sqlite"; }
    std::unique_ptr<plugin::TenantStore> open(const std::string&) override {
        return std::make_unique<Store>(live);
    }
    bool supports_swap() const override { return true; }
    std::unique_ptr<plugin::TenantStore> open_beside(const std::string&) override {
        return std::make_unique<Store>(live);
    }
    int live = 0;
};

TEST(StorePoolBeside, CountsAgainstTheBudgetAndIsClosedWhenLetGo) {
    StorePool pool(TargetConnections{1, 0, 0});
    SwappingTarget target;
    {
        auto beside = pool.open_beside(target, "acme", SIGHTLINE_PLUGIN_API_MINOR);
        EXPECT_EQ(pool.counts().in_use, 1);
        EXPECT_THROW(pool.open(target, "acme", SIGHTLINE_PLUGIN_API_MINOR), TargetBusy)
            << "the beside store holds the only connection of the budget";
    }
    EXPECT_EQ(target.live, 0) << "closed, not kept idle";
    EXPECT_EQ(pool.counts().idle, 0);
    EXPECT_EQ(pool.counts().in_use, 0);
    // The tenant's next store is a store of the tenant's storage, opened anew.
    auto store = pool.open(target, "acme", SIGHTLINE_PLUGIN_API_MINOR);
    EXPECT_EQ(target.live, 1);
}

}  // namespace
}  // namespace sightline::core
