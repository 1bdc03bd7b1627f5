// Selective deletion by each scope, dry runs, the deletions history; dropping a tenant.
#include "live_support.hpp"

namespace sightline::target_pg::testing {
namespace {

using DeletionTest = LiveTest;

constexpr int64_t kDay = 86'400'000'000;

// customers 1 and 2, orders A (customer 1, two lines), B (customer 2), A (customer 2), C
// (customer 3); one line per day from day 0.
std::vector<SaleLine> sample() {
    std::vector<SaleLine> lines;
    auto add = [&](uint64_t customer, const char* order, int64_t price) {
        SaleLine line;
        line.customer = customer;
        line.order = order;
        line.price = price;
        line.ts = static_cast<int64_t>(lines.size()) * kDay;
        lines.push_back(line);
    };
    add(1, "A", 1'000'000);
    add(1, "A", 2'500'000);
    add(2, "B", 3'000'000);
    add(2, "A", -500'000);
    add(18446744073709551615ULL, "C", 100'000);
    return lines;
}

sp::DeletionRequest request(sp::DeletionScope scope, const std::string& id) {
    sp::DeletionRequest r;
    r.scope = scope;
    r.id = id;
    r.reason = "gdpr erasure";
    r.operator_name = "ops";
    r.at_us = 1'800'000'000'000'000;
    return r;
}

TEST_F(DeletionTest, ByCustomersWithADryRunFirst) {
    auto store = open();
    load_lines(*store, sample());
    auto r = request(sp::DeletionScope::customers, "d1");
    r.customers = {1, 18446744073709551615ULL, 77};
    r.dry_run = true;
    auto result = store->delete_lines(r);
    EXPECT_EQ(result.lines, 3u);
    EXPECT_EQ(result.orders, 2u);
    EXPECT_EQ(result.customers, 2u);
    EXPECT_EQ(result.revenue, "3.6");
    EXPECT_EQ(count_lines(*store), 5u);
    EXPECT_TRUE(store->deletions().empty());

    r.dry_run = false;
    result = store->delete_lines(r);
    EXPECT_EQ(result.lines, 3u);
    EXPECT_EQ(count_lines(*store), 2u);
    const auto records = store->deletions();
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].id, "d1");
    EXPECT_EQ(records[0].scope, sp::DeletionScope::customers);
    EXPECT_EQ(records[0].reason, "gdpr erasure");
    EXPECT_EQ(records[0].operator_name, "ops");
    EXPECT_EQ(records[0].at_us, 1'800'000'000'000'000);
    EXPECT_EQ(records[0].removed.revenue, "3.6");
    EXPECT_EQ(records[0].removed.orders, 2u);
}

TEST_F(DeletionTest, ByOrdersUnderAnyCustomer) {
    auto store = open();
    load_lines(*store, sample());
    auto r = request(sp::DeletionScope::orders, "d2");
    r.orders = {"A", "no such \"order\"", "x,y{}"};
    const auto result = store->delete_lines(r);
    EXPECT_EQ(result.lines, 3u);
    EXPECT_EQ(result.orders, 2u);  // (1, A) and (2, A)
    EXPECT_EQ(result.customers, 2u);
    EXPECT_EQ(result.revenue, "3");
    EXPECT_EQ(query_text(*store, "SELECT \"order\" FROM sales ORDER BY id"),
              (std::vector<std::vector<std::string>>{{"B"}, {"C"}}));
}

TEST_F(DeletionTest, ByTimeRangeIsHalfOpen) {
    auto store = open();
    load_lines(*store, sample());
    auto r = request(sp::DeletionScope::time_range, "d3");
    r.from_us = 1 * kDay;
    r.to_us = 3 * kDay;
    const auto result = store->delete_lines(r);
    EXPECT_EQ(result.lines, 2u);
    EXPECT_EQ(result.revenue, "5.5");
    auto second = request(sp::DeletionScope::time_range, "d4");
    second.from_us = 100 * kDay;
    second.to_us = 200 * kDay;
    EXPECT_EQ(store->delete_lines(second).lines, 0u);
    const auto records = store->deletions();
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0].id, "d3");
    EXPECT_EQ(records[1].id, "d4");
    EXPECT_EQ(records[1].removed.revenue, "0");
    // Lines loaded later are not affected.
    load_lines(*store, {SaleLine{}}, "later.csv");
    EXPECT_EQ(count_lines(*store), 4u);
}

TEST_F(DeletionTest, DropRemovesTheTenantDatabase) {
    auto store = open();
    load_lines(*store, sample());
    store.reset();
    target->drop("acme");
    auto again = open();
    EXPECT_EQ(count_lines(*again), 0u);
    EXPECT_TRUE(again->history().empty());
    // Dropping even with a store still connected works: its connections are ended.
    target->drop("acme");
    EXPECT_THROW(count_lines(*again), sp::Error);
}

}  // namespace
}  // namespace sightline::target_pg::testing
