// stats() and the exact sum behind it.
#include <gtest/gtest.h>

#include <limits>

#include "sql_functions.hpp"
#include "test_support.hpp"

namespace sightline::target_sqlite::testing {
namespace {

TEST(FormatMillionths, ShortestExactText) {
    EXPECT_EQ(format_millionths(0), "0");
    EXPECT_EQ(format_millionths(12'500'000), "12.5");
    EXPECT_EQ(format_millionths(-1), "-0.000001");
    EXPECT_EQ(format_millionths(3'000'000), "3");
    EXPECT_EQ(format_millionths(-3'000'001), "-3.000001");
    EXPECT_EQ(format_millionths(100'000), "0.1");
    const int128 big = static_cast<int128>(std::numeric_limits<int64_t>::max()) * 1000;
    EXPECT_EQ(format_millionths(big), "9223372036854775.807");
    EXPECT_EQ(format_millionths(-big - 1), "-9223372036854775.807001");
}

TEST(Stats, EmptyTenant) {
    Fixture f;
    const auto stats = f.open()->stats();
    EXPECT_EQ(stats.lines, 0u);
    EXPECT_EQ(stats.customers, 0u);
    EXPECT_EQ(stats.revenue, "0");
    EXPECT_EQ(stats.catalog_items, 0u);
}

TEST(Stats, CountsAndExactRevenue) {
    Fixture f;
    auto store = f.open();
    // 0.1 + 0.2 is not 0.3 in binary floating point, sums past 2^53 millionths lose digits in
    // a double, and ten near-maximal prices overflow int64 millionths.
    std::vector<SaleLine> lines(13);
    lines[0].price = 100'000;  // 0.1
    lines[1].price = 200'000;  // 0.2
    for (int i = 2; i < 12; ++i) lines[i].price = 999'999'999'999'999'999;
    lines[12].price = -1;  // a refund of 0.000001
    for (size_t i = 0; i < lines.size(); ++i) {
        lines[i].order = "o" + std::to_string(i);
        lines[i].customer = i < 3 ? 7 : 0xFFFFFFFFFFFFFFFFULL;
    }
    load_sales(*store, lines);
    load_catalog(*store, {{"a", "X", {}, {}, {}}, {"b", "Y", {}, {}, {}}});
    const auto stats = store->stats();
    EXPECT_EQ(stats.lines, 13u);
    EXPECT_EQ(stats.customers, 2u);
    // 10 x 999999999999999999 + 100000 + 200000 - 1 millionths.
    EXPECT_EQ(stats.revenue, "10000000000000.299989");
    EXPECT_EQ(stats.catalog_items, 2u);
}

TEST(SlSumExact, IgnoresNullsAndRejectsNonIntegers) {
    Fixture f;
    auto store = f.open();
    EXPECT_EQ(query_texts(*store,
                          "SELECT sl_sum_exact(x) FROM (SELECT 5 AS x UNION ALL SELECT "
                          "NULL UNION ALL SELECT -12500000)"),
              std::vector<std::string>{"-12.499995"});
    EXPECT_EQ(query_texts(*store, "SELECT sl_sum_exact(NULL)"), std::vector<std::string>{"0"});
    EXPECT_THROW(query_texts(*store, "SELECT sl_sum_exact(1.5)"), sp::Error);
    EXPECT_THROW(query_texts(*store, "SELECT sl_sum_exact('12')"), sp::Error);
    // Works per group, as evaluators will use it.
    EXPECT_EQ(query_texts(*store,
                          "SELECT g || '=' || sl_sum_exact(x) FROM (SELECT 1 AS g, 1 AS "
                          "x UNION ALL SELECT 1, 2 UNION ALL SELECT 2, 3000000) GROUP BY g "
                          "ORDER BY g"),
              (std::vector<std::string>{"1=0.000003", "2=3"}));
}

}  // namespace
}  // namespace sightline::target_sqlite::testing
