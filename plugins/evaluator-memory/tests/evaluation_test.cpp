// Every rule over small hand-made data; expected ids worked out by hand in the comments.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace sightline::evaluator_memory::testing {
namespace {

const int64_t kAsOf = at("2026-01-31T12:00:00Z");

// Purchases at kAsOf (orders with a net total > 0, at the time of their earliest line):
//   1: 01-10, 01-20         2: none (O3 refunded in full, O4 zero)
//   3: 01-05 (refunded after kAsOf only)   4: 2025-12-01, 01-30
//   5: 01-20 (net 3)        6: 2025-12-20 (earliest line is a -5 that the +10 outweighs)
//   7: 2025-01-01           8: 2025-06-01
const char* kHistory =
    "order,timestamp,customer,item,price\n"
    "O1,2026-01-10T00:00:00Z,1,A,10\n"
    "O2,2026-01-20T00:00:00Z,1,A,5\n"
    "O3,2026-01-15T00:00:00Z,2,A,10\n"
    "O3,2026-01-25T00:00:00Z,2,A,-10\n"
    "O4,2026-01-15T00:00:00Z,2,A,0\n"
    "O5,2026-01-05T00:00:00Z,3,A,10\n"
    "O5,2026-02-10T00:00:00Z,3,A,-10\n"
    "O6,2025-12-01T00:00:00Z,4,A,3\n"
    "O7,2026-01-30T00:00:00Z,4,A,1\n"
    "O8,2026-01-20T00:00:00Z,5,A,5\n"
    "O8,2026-01-21T00:00:00Z,5,A,-2\n"
    "O9,2025-12-20T00:00:00Z,6,A,-5\n"
    "O9,2026-01-20T00:00:00Z,6,A,10\n"
    "O10,2025-01-01T00:00:00Z,7,A,100\n"
    "O11,2025-06-01T00:00:00Z,8,A,1\n";

class History : public ::testing::Test {
protected:
    void SetUp() override { data.load("history.csv", kHistory); }
    Data data;
};

TEST_F(History, OrdersCountsPurchasesByNetTotalAndTime) {
    const sg::Window d30 = within_days(30);  // time > 2026-01-01T12:00:00Z
    EXPECT_EQ(data.ids(orders(d30, 1, std::nullopt), kAsOf), (Ids{1, 3, 4, 5}));
    EXPECT_EQ(data.ids(orders(d30, std::nullopt, 0), kAsOf), (Ids{2, 6, 7, 8}));
    EXPECT_EQ(data.ids(orders({}, 2, std::nullopt), kAsOf), (Ids{1, 4}));
    EXPECT_EQ(data.ids(orders({}, 0, 0), kAsOf), (Ids{2}));
    EXPECT_EQ(data.ids(orders(d30, 2, 2), kAsOf), (Ids{1}));
    // At 02-11 the refund of O5 exists: customer 3 has no purchase left.
    EXPECT_EQ(data.ids(orders({}, 1, std::nullopt), at("2026-02-11T00:00:00Z")),
              (Ids{1, 4, 5, 6, 7, 8}));
}

TEST_F(History, RevenueSumsLinesInTheWindowWithReturnsAndZeroForNone) {
    // Whole history: 1:15 2:0 3:10 4:4 5:3 6:5 7:100 8:1
    EXPECT_EQ(data.ids(revenue({}, 0, 0), kAsOf), (Ids{2}));
    EXPECT_EQ(data.ids(revenue({}, 4'000'001, std::nullopt), kAsOf), (Ids{1, 3, 6, 7}));
    EXPECT_EQ(data.ids(revenue({}, std::nullopt, 4'000'000), kAsOf), (Ids{2, 4, 5, 8}));
    // Last 30 days: 1:15 2:0 3:10 4:1 5:3 6:10 7:0 8:0
    EXPECT_EQ(data.ids(revenue(within_days(30), std::nullopt, 0), kAsOf), (Ids{2, 7, 8}));
    // After kAsOf, 3's refund counts: 10 - 10.
    EXPECT_EQ(data.ids(revenue({}, std::nullopt, 0), at("2026-02-11T00:00:00Z")), (Ids{2, 3}));
}

TEST_F(History, LastAndFirstPurchase) {
    EXPECT_EQ(data.ids(last_purchase(30, std::nullopt), kAsOf), (Ids{1, 3, 4, 5}));
    EXPECT_EQ(data.ids(last_purchase(std::nullopt, 30), kAsOf), (Ids{6, 7, 8}));
    // first > 2025-12-02T12:00:00Z
    EXPECT_EQ(data.ids(first_purchase(60, std::nullopt), kAsOf), (Ids{1, 3, 5, 6}));
    EXPECT_EQ(data.ids(first_purchase(60, 30), kAsOf), (Ids{6}));
    EXPECT_EQ(data.ids(last_purchase(std::nullopt, 0), kAsOf), (Ids{1, 3, 4, 5, 6, 7, 8}));
}

TEST_F(History, LifecycleWithDefaultAndCustomThresholds) {
    using S = sg::Stage;
    EXPECT_EQ(data.ids(lifecycle(S::active), kAsOf), (Ids{1, 4}));
    EXPECT_EQ(data.ids(lifecycle(S::first_time_buyer), kAsOf), (Ids{3, 5, 6}));
    EXPECT_EQ(data.ids(lifecycle(S::defecting), kAsOf), (Ids{8}));
    EXPECT_EQ(data.ids(lifecycle(S::inactive), kAsOf), (Ids{7}));
    // active 30 days (after 2026-01-01T12:00), inactive 200 (after 2025-07-15T12:00)
    EXPECT_EQ(data.ids(lifecycle(S::active), kAsOf, 30, 200), (Ids{1, 4}));
    EXPECT_EQ(data.ids(lifecycle(S::first_time_buyer), kAsOf, 30, 200), (Ids{3, 5}));
    EXPECT_EQ(data.ids(lifecycle(S::defecting), kAsOf, 30, 200), (Ids{6}));
    EXPECT_EQ(data.ids(lifecycle(S::inactive), kAsOf, 30, 200), (Ids{7, 8}));
}

TEST_F(History, AllAnyAndNotWithinTheUniverse) {
    // purchased (a line > 0): 1 2 3 4 5 6 7 8 all have one (2: O3's first line).
    EXPECT_EQ(data.ids(not_(purchased(within_days(30))), kAsOf), (Ids{7, 8}));
    EXPECT_EQ(data.ids(all({lifecycle(sg::Stage::active), orders(within_days(5), 1, std::nullopt)}),
                       kAsOf),
              (Ids{4}));
    EXPECT_EQ(data.ids(any({lifecycle(sg::Stage::inactive), lifecycle(sg::Stage::defecting),
                            revenue({}, 0, 0)}),
                       kAsOf),
              (Ids{2, 7, 8}));
    EXPECT_EQ(data.ids(not_(not_(revenue({}, 0, 0))), kAsOf), (Ids{2}));
    // Before any line: an empty universe.
    EXPECT_EQ(data.ids(not_(purchased()), at("2024-01-01")), Ids{});
}

TEST(Universe, LinesAfterAsOfDoNotExist) {
    Data data;
    data.load("s.csv",
              "order,timestamp,customer,item,price\n"
              "A,2026-01-31T12:00:00Z,1,x,1\n"
              "B,2026-01-31T12:00:01Z,2,x,1\n"  // after kAsOf: 2 is not in the universe
              "C,2026-01-10T00:00:00Z,3,x,0\n");
    EXPECT_EQ(data.ids(purchased(), kAsOf), (Ids{1}));
    EXPECT_EQ(data.ids(not_(purchased()), kAsOf), (Ids{3}));
    EXPECT_EQ(data.ids(revenue({}, std::nullopt, 0), kAsOf), (Ids{3}));
    EXPECT_EQ(data.ids(not_(purchased()), at("2026-02-01")), (Ids{3}));
}

TEST(Windows, EdgesToTheSecond) {
    Data data;
    data.load("s.csv",
              "order,timestamp,customer,item,price\n"
              "A,2026-01-30T12:00:00Z,1,x,1\n"  // exactly kAsOf - 1 day: outside within_days 1
              "A,2026-01-30T12:00:01Z,2,x,1\n"
              "A,2026-01-31T12:00:00Z,3,x,1\n"  // kAsOf itself
              "A,2026-01-31T12:00:01Z,4,x,1\n"  // after kAsOf
              "A,2026-01-30T00:00:00Z,5,x,1\n"
              "A,2026-01-31T00:00:00Z,6,x,1\n"
              "A,2026-01-29T23:59:59Z,7,x,1\n");
    EXPECT_EQ(data.ids(purchased(within_days(1)), kAsOf), (Ids{2, 3, 6}));
    EXPECT_EQ(data.ids(purchased(within_days(2)), kAsOf), (Ids{1, 2, 3, 5, 6, 7}));
    EXPECT_EQ(data.ids(purchased(between("2026-01-30", "2026-01-30")), kAsOf), (Ids{1, 2, 5}));
    EXPECT_EQ(data.ids(purchased(between("2026-01-31", "2026-02-01")), kAsOf), (Ids{3, 6}));
    EXPECT_EQ(data.ids(purchased(between("2026-01-31", "2026-02-01")), at("2026-02-02")),
              (Ids{3, 4, 6}));
    EXPECT_EQ(
        data.ids(revenue(between("2026-01-29", "2026-01-29"), 1'000'000, std::nullopt), kAsOf),
        (Ids{7}));
}

TEST(Purchased, ItemsCategoriesAndMinOrders) {
    Data data;
    data.load("catalog.csv",
              "item,category\n"
              "A,Shoes>Running|Sale\n"
              "B,Shoestrings\n"
              "C,Shoes\n"
              "D,Hats>Shoes\n");
    data.load("s.csv",
              "order,timestamp,customer,item,price\n"
              "P1,2026-01-10T00:00:00Z,1,A,10\n"
              "P2,2026-01-10T00:00:00Z,2,B,10\n"
              "P3,2026-01-10T00:00:00Z,3,C,10\n"
              "P4,2026-01-10T00:00:00Z,4,D,10\n"
              "P5,2026-01-10T00:00:00Z,5,E,10\n"  // E: not in the catalog
              "P6,2026-01-10T00:00:00Z,6,A,-10\n"
              "P7,2026-01-10T00:00:00Z,7,E,1\n"
              "P7,2026-01-11T00:00:00Z,7,E,1\n"
              "P8,2026-01-12T00:00:00Z,7,E,1\n"
              "X1,2026-01-10T00:00:00Z,8,A,10\n"
              "X1,2026-01-20T00:00:00Z,8,A,-10\n"  // refunded later: still purchased
              "P1,2026-01-10T00:00:00Z,9,E,1\n"
              "P2,2026-01-10T00:00:00Z,9,E,1\n");  // other customers' order ids: 2 orders
    EXPECT_EQ(data.ids(purchased(), kAsOf), (Ids{1, 2, 3, 4, 5, 7, 8, 9}));
    EXPECT_EQ(data.ids(purchased({}, {}, {"Shoes"}), kAsOf), (Ids{1, 3, 8}));
    EXPECT_EQ(data.ids(purchased({}, {}, {"Sale"}), kAsOf), (Ids{1, 8}));
    EXPECT_EQ(data.ids(purchased({}, {}, {"Shoes>Running"}), kAsOf), (Ids{1, 8}));
    EXPECT_EQ(data.ids(purchased({}, {}, {"Shoes>Run"}), kAsOf), Ids{});
    EXPECT_EQ(data.ids(purchased({}, {}, {"Hats", "Shoestrings"}), kAsOf), (Ids{2, 4}));
    EXPECT_EQ(data.ids(purchased({}, {"E"}), kAsOf), (Ids{5, 7, 9}));
    EXPECT_EQ(data.ids(purchased({}, {"A", "C"}, {"Sale"}), kAsOf), (Ids{1, 8}));
    EXPECT_EQ(data.ids(purchased({}, {}, {}, 2), kAsOf), (Ids{7, 9}));
    EXPECT_EQ(data.ids(purchased({}, {}, {}, 3), kAsOf), Ids{});
    EXPECT_EQ(data.ids(purchased(within_days(20), {}, {}, 2), kAsOf), Ids{});
    EXPECT_EQ(data.ids(not_(purchased()), kAsOf), (Ids{6}));
}

TEST(CustomerIds, AscendingAsUnsigned) {
    Data data;
    data.load("s.csv",
              "order,timestamp,customer,item,price\n"
              "A,2026-01-10,18446744073709551615,x,1\n"
              "A,2026-01-10,9223372036854775808,x,1\n"
              "A,2026-01-10,9223372036854775807,x,1\n"
              "A,2026-01-10,0,x,1\n"
              "A,2026-01-10,18446744073709551614,x,0\n");
    EXPECT_EQ(data.ids(purchased(), kAsOf),
              (Ids{0, 9223372036854775807ull, 9223372036854775808ull, 18446744073709551615ull}));
    EXPECT_EQ(data.ids(not_(purchased()), kAsOf), (Ids{18446744073709551614ull}));
    EXPECT_EQ(data.ids(revenue({}, 0, 0), kAsOf), (Ids{18446744073709551614ull}));
}

}  // namespace
}  // namespace sightline::evaluator_memory::testing
