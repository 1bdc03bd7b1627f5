// Unsigned 64-bit customer ids: stored order-preserving, returned exactly, shown as decimal text.
#include <gtest/gtest.h>

#include <limits>

#include "customer_key.hpp"
#include "test_support.hpp"

namespace sightline::target_sqlite::testing {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
constexpr uint64_t kTwo63 = 0x8000000000000000ULL;

TEST(CustomerKey, EncodingIsMonotonicAndReversible) {
    const uint64_t ids[] = {0, 1, kTwo63 - 1, kTwo63, kTwo63 + 1, kMax - 1, kMax};
    for (size_t i = 0; i < std::size(ids); ++i) {
        EXPECT_EQ(decode_customer(encode_customer(ids[i])), ids[i]);
        if (i > 0) {
            EXPECT_LT(encode_customer(ids[i - 1]), encode_customer(ids[i]));
        }
    }
    EXPECT_EQ(encode_customer(0), std::numeric_limits<int64_t>::min());
    EXPECT_EQ(encode_customer(kMax), std::numeric_limits<int64_t>::max());
}

class CustomerIds : public ::testing::Test {
protected:
    void SetUp() override {
        store = f.open();
        std::vector<SaleLine> lines;
        // Inserted out of order on purpose.
        for (uint64_t id : std::vector<uint64_t>{kMax, kTwo63, 0, kTwo63 - 1, 42, kMax - 1}) {
            SaleLine line;
            line.order = "o" + std::to_string(lines.size());
            line.customer = id;
            lines.push_back(line);
        }
        load_sales(*store, lines);
    }
    Fixture f;
    std::unique_ptr<sp::TenantStore> store;
};

TEST_F(CustomerIds, RoundTripThroughScanSales) {
    std::vector<uint64_t> seen;
    store->scan_sales([&](const sp::Value* row) { seen.push_back(row[2].u); });
    EXPECT_EQ(seen, (std::vector<uint64_t>{kMax, kTwo63, 0, kTwo63 - 1, 42, kMax - 1}));
}

TEST_F(CustomerIds, OrderByCustomerIsNumericOrderAndSlCustomerIdGivesBitPatterns) {
    std::vector<uint64_t> ordered;
    store->query(
        "SELECT sl_customer_id(customer) FROM sale_lines ORDER BY customer", {},
        [&](const sp::SqlRow& row) { ordered.push_back(static_cast<uint64_t>(row.get_int64(0))); });
    EXPECT_EQ(ordered, (std::vector<uint64_t>{0, 42, kTwo63 - 1, kTwo63, kMax - 1, kMax}));
}

TEST_F(CustomerIds, ParametersUseTheStoredKey) {
    // Customers above 2^63: pass the key (or the bit pattern through sl_customer_id).
    sp::Value key = int_value(encode_customer(kTwo63));
    EXPECT_EQ(query_int(*store, "SELECT count(*) FROM sale_lines WHERE customer >= ?1", {key}), 3);
    sp::Value bits = int_value(static_cast<int64_t>(kMax));
    EXPECT_EQ(
        query_int(*store, "SELECT count(*) FROM sale_lines WHERE customer = sl_customer_id(?1)",
                  {bits}),
        1);
}

TEST_F(CustomerIds, SalesViewShowsTheUnsignedDecimal) {
    EXPECT_EQ(query_texts(*store, "SELECT customer FROM sales ORDER BY id"),
              (std::vector<std::string>{"18446744073709551615", "9223372036854775808", "0",
                                        "9223372036854775807", "42", "18446744073709551614"}));
}

TEST_F(CustomerIds, SalesViewShowsTimestampsAndDecimalsAsText) {
    EXPECT_EQ(query_texts(*store,
                          "SELECT timestamp || ' ' || price || ' ' || quantity FROM "
                          "sales WHERE customer = '42'"),
              std::vector<std::string>{"2023-11-14T22:13:20Z 10 1"});
}

TEST(SalesView, DecimalAndTimeEdgeCases) {
    Fixture f;
    auto store = f.open();
    SaleLine a;
    a.price = -1;
    a.quantity = 12'500'000;
    a.ts = -1;
    SaleLine b;
    b.order = "o2";
    b.price = 999'999'999'999'999'999;
    b.quantity = 0;
    b.ts = 1'700'000'000'000'001;
    load_sales(*store, {a, b});
    EXPECT_EQ(query_texts(*store,
                          "SELECT price || ' ' || quantity || ' ' || timestamp FROM sales "
                          "ORDER BY id"),
              (std::vector<std::string>{"-0.000001 12.5 1969-12-31T23:59:59.999999Z",
                                        "999999999999.999999 0 2023-11-14T22:13:20.000001Z"}));
}

}  // namespace
}  // namespace sightline::target_sqlite::testing
