// delete_lines() and deletions(): each scope, counts and exact revenue, dry runs, large id lists,
// refusals, and the record that is kept (counts, never ids).
#include <gtest/gtest.h>

#include <chrono>
#include <utility>

#include "test_support.hpp"

namespace sightline::target_sqlite::testing {
namespace {

constexpr uint64_t kMaxId = 0xFFFFFFFFFFFFFFFFULL;

SaleLine line(const std::string& order, uint64_t customer, int64_t price, int64_t ts = 1000) {
    SaleLine l;
    l.order = order;
    l.customer = customer;
    l.price = price;
    l.ts = ts;
    return l;
}

sp::DeletionRequest request(sp::DeletionScope scope, const std::string& id = "del-1") {
    sp::DeletionRequest r;
    r.scope = scope;
    r.id = id;
    r.reason = "customer asked";
    r.operator_name = "ops@example";
    r.at_us = 1'800'000'000'000'000;
    return r;
}

sp::DeletionRequest customers(std::vector<uint64_t> ids, const std::string& id = "del-1") {
    auto r = request(sp::DeletionScope::customers, id);
    r.customers = std::move(ids);
    return r;
}

sp::DeletionRequest orders(std::vector<std::string> ids, const std::string& id = "del-1") {
    auto r = request(sp::DeletionScope::orders, id);
    r.orders = std::move(ids);
    return r;
}

sp::DeletionRequest range(int64_t from, int64_t to, const std::string& id = "del-1") {
    auto r = request(sp::DeletionScope::time_range, id);
    r.from_us = from;
    r.to_us = to;
    return r;
}

// Every line as "order/customer/price", in insertion order.
std::vector<std::string> lines_of(sp::TenantStore& store) {
    std::vector<std::string> out;
    store.scan_sales([&](const sp::Value* row) {
        out.push_back(std::string(row[0].s) + "/" + std::to_string(row[2].u) + "/" +
                      std::to_string(row[4].i));
    });
    return out;
}

void expect_result(const sp::DeletionResult& r, uint64_t lines, uint64_t orders, uint64_t customers,
                   const std::string& revenue) {
    EXPECT_EQ(r.lines, lines);
    EXPECT_EQ(r.orders, orders);
    EXPECT_EQ(r.customers, customers);
    EXPECT_EQ(r.revenue, revenue);
}

class Deletion : public ::testing::Test {
protected:
    void SetUp() override {
        store = f.open();
        // Order A1 of customer 1 has two lines; order A1 of customer 2 is another order.
        load_sales(*store, {line("A1", 1, 100'000, 1000), line("A1", 1, 200'000, 2000),
                            line("A1", 2, 5'000'000, 3000), line("B2", 3, -1, 4000),
                            line("C3", kMaxId, 7'250'000, 5000), line("D4", 0, 1, 6000)});
    }
    Fixture f;
    std::unique_ptr<sp::TenantStore> store;
};

TEST_F(Deletion, ByCustomersCountsLinesOrdersCustomersAndExactRevenue) {
    const auto r = store->delete_lines(customers({1, 3, 424242}));
    expect_result(r, 3, 2, 2, "0.299999");
    EXPECT_EQ(lines_of(*store), (std::vector<std::string>{
                                    "A1/2/5000000", "C3/18446744073709551615/7250000", "D4/0/1"}));
    const auto stats = store->stats();
    EXPECT_EQ(stats.lines, 3u);
    EXPECT_EQ(stats.revenue, "12.250001");
}

TEST_F(Deletion, CustomerIdsAtTheEdgesOfTheUnsignedRange) {
    expect_result(store->delete_lines(customers({0, kMaxId})), 2, 2, 2, "7.250001");
    EXPECT_EQ(store->stats().lines, 4u);
}

TEST_F(Deletion, ByOrdersMatchesTheOrderIdUnderEveryCustomer) {
    const auto r = store->delete_lines(orders({"A1", "D4", "nope"}));
    expect_result(r, 4, 3, 3, "5.300001");
    EXPECT_EQ(lines_of(*store),
              (std::vector<std::string>{"B2/3/-1", "C3/18446744073709551615/7250000"}));
}

TEST_F(Deletion, ByTimeRangeIncludesFromAndExcludesTo) {
    const auto r = store->delete_lines(range(2000, 5000));
    expect_result(r, 3, 3, 3, "5.199999");
    EXPECT_EQ(lines_of(*store), (std::vector<std::string>{
                                    "A1/1/100000", "C3/18446744073709551615/7250000", "D4/0/1"}));
}

TEST_F(Deletion, NothingMatchingDeletesNothingButIsRecorded) {
    expect_result(store->delete_lines(customers({77})), 0, 0, 0, "0");
    EXPECT_EQ(store->stats().lines, 6u);
    ASSERT_EQ(store->deletions().size(), 1u);
    EXPECT_EQ(store->deletions()[0].removed.lines, 0u);
}

TEST_F(Deletion, ADryRunCountsAndChangesNothing) {
    const auto before = lines_of(*store);
    const auto history = store->history().size();
    const std::pair<sp::DeletionRequest, sp::DeletionResult> cases[] = {
        {customers({1, 3}), {3, 2, 2, "0.299999"}},
        {orders({"A1"}), {3, 2, 2, "5.3"}},
        {range(0, 4500), {4, 3, 3, "5.299999"}},
    };
    for (auto [r, expected] : cases) {
        r.dry_run = true;
        expect_result(store->delete_lines(r), expected.lines, expected.orders, expected.customers,
                      expected.revenue);
        EXPECT_EQ(lines_of(*store), before);
        EXPECT_TRUE(store->deletions().empty());
        EXPECT_EQ(store->history().size(), history);
    }
    // The real deletion, on another connection, removes exactly what the dry run counted.
    expect_result(f.open()->delete_lines(customers({1, 3})), 3, 2, 2, "0.299999");
}

TEST_F(Deletion, ADryRunNeedsNoIdAndCanRunTwice) {
    auto r = orders({"A1"});
    r.dry_run = true;
    r.id.clear();
    expect_result(store->delete_lines(r), 3, 2, 2, "5.3");
    expect_result(store->delete_lines(r), 3, 2, 2, "5.3");
    EXPECT_TRUE(store->deletions().empty());
}

TEST_F(Deletion, RecordsEachDeletionOldestFirstWithCountsOnly) {
    store->delete_lines(customers({1}, "first"));
    auto second = range(0, 3500, "second");
    second.reason = "retention";
    second.operator_name = "cron";
    second.at_us = 1'900'000'000'000'000;
    store->delete_lines(second);

    const auto records = f.open()->deletions();  // durable: read on a new connection
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0].id, "first");
    EXPECT_EQ(records[0].scope, sp::DeletionScope::customers);
    EXPECT_EQ(records[0].reason, "customer asked");
    EXPECT_EQ(records[0].operator_name, "ops@example");
    EXPECT_EQ(records[0].at_us, 1'800'000'000'000'000);
    expect_result(records[0].removed, 2, 1, 1, "0.3");
    EXPECT_EQ(records[1].id, "second");
    EXPECT_EQ(records[1].scope, sp::DeletionScope::time_range);
    EXPECT_EQ(records[1].reason, "retention");
    EXPECT_EQ(records[1].operator_name, "cron");
    EXPECT_EQ(records[1].at_us, 1'900'000'000'000'000);
    expect_result(records[1].removed, 1, 1, 1, "5");

    // The deleted ids are data a customer asked to have removed: no column could hold them.
    EXPECT_EQ(query_texts(*store, "SELECT name FROM pragma_table_info('deletions') ORDER BY cid"),
              (std::vector<std::string>{"id", "deletion_id", "scope", "reason", "operator_name",
                                        "at_us", "lines", "orders", "customers", "revenue"}));
}

TEST_F(Deletion, LinesLoadedAfterwardsAreNotAffected) {
    store->delete_lines(customers({1}));
    store->delete_lines(orders({"B2"}, "del-2"));
    load_sales(*store, {line("A1", 1, 100'000, 1000), line("B2", 3, 2'000'000, 4000)});
    EXPECT_EQ(lines_of(*store),
              (std::vector<std::string>{"A1/2/5000000", "C3/18446744073709551615/7250000", "D4/0/1",
                                        "A1/1/100000", "B2/3/2000000"}));
}

TEST_F(Deletion, RefusesRequestsThatCannotBeMeantAndChangesNothing) {
    auto no_id = customers({1});
    no_id.id.clear();
    for (const auto& r : {customers({}), orders({}), range(5, 5), range(6, 5), no_id}) {
        EXPECT_THROW(store->delete_lines(r), sp::Error);
    }
    store->delete_lines(customers({1}, "once"));
    EXPECT_THROW(store->delete_lines(customers({2}, "once")), sp::Error);  // ids are unique
    EXPECT_EQ(store->stats().lines, 4u);
    EXPECT_EQ(store->deletions().size(), 1u);
}

TEST_F(Deletion, RefusedWhileALoadIsOpenOnTheSameStore) {
    const auto spec = sales_spec();
    auto load = store->begin_load(spec);
    append_lines(*load, spec, {line("Z9", 9, 1)});
    EXPECT_THROW(store->delete_lines(customers({1})), sp::Error);
    load->commit(loaded_record("z.csv", fake_sha(1), 1));
    EXPECT_EQ(store->stats().lines, 7u);
}

TEST(DeletionLarge, AHundredThousandCustomerIds) {
    Fixture f;
    auto store = f.open();
    std::vector<SaleLine> lines;
    for (uint64_t c = 0; c < 200'000; ++c) lines.push_back(line("o" + std::to_string(c), c, 1));
    load_sales(*store, lines);
    // Every other loaded customer, plus ids that were never loaded, plus repeats.
    std::vector<uint64_t> ids;
    for (uint64_t c = 0; c < 200'000; c += 2) ids.push_back(c);
    ids.push_back(kMaxId);
    ids.push_back(0);
    const auto started = std::chrono::steady_clock::now();
    auto r = customers(ids);
    r.dry_run = true;
    expect_result(store->delete_lines(r), 100'000, 100'000, 100'000, "0.1");
    r.dry_run = false;
    expect_result(store->delete_lines(r), 100'000, 100'000, 100'000, "0.1");
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(60));
    const auto stats = store->stats();
    EXPECT_EQ(stats.lines, 100'000u);
    EXPECT_EQ(stats.customers, 100'000u);
    EXPECT_EQ(
        query_int(*store, "SELECT count(*) FROM sale_lines WHERE sl_customer_id(customer) % 2 = 0"),
        0);
}

TEST(DeletionLarge, AHundredThousandOrderIds) {
    Fixture f;
    auto store = f.open();
    std::vector<SaleLine> lines;
    for (uint64_t c = 0; c < 100'000; ++c) lines.push_back(line("o" + std::to_string(c), c % 7, 3));
    load_sales(*store, lines);
    std::vector<std::string> ids;
    for (uint64_t c = 0; c < 100'000; c += 4) ids.push_back("o" + std::to_string(c));
    for (int i = 0; i < 75'000; ++i) ids.push_back("missing-" + std::to_string(i));
    expect_result(store->delete_lines(orders(ids)), 25'000, 25'000, 7, "0.075");
    EXPECT_EQ(store->stats().lines, 75'000u);
}

}  // namespace
}  // namespace sightline::target_sqlite::testing
