// A million lines through a synthetic store (no database): the evaluation keeps per-order and
// per-customer state only, and its results match counts worked out from the generator's pattern.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "test_support.hpp"

namespace sightline::evaluator_memory::testing {
namespace {

// Line n: customer n % 100000, order id "o<n / 2>", time base + n seconds, price 1 except every
// 10th line, a return of -1. Lines 2k and 2k+1 share an order id but not the customer, so every
// line is an order of its own (orders are (customer, order id)): a million orders.
class SyntheticStore : public sp::TenantStore {
public:
    static constexpr uint64_t kLines = 1'000'000;
    static constexpr uint64_t kCustomers = 100'000;
    static constexpr int64_t kBase = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z

    std::optional<sp::FileRecord> find_loaded(const std::string&) override { return {}; }
    std::unique_ptr<sp::LoadTransaction> begin_load(const sp::LoadSpec&) override {
        throw sp::Error("read only");
    }
    void record(const sp::FileRecord&) override { throw sp::Error("read only"); }
    std::vector<sp::FileRecord> history() override { return {}; }
    sp::TenantStats stats() override { return {}; }
    std::vector<sp::Column> custom_columns() override { return {}; }
    void scan_sales(const std::function<void(const sp::Value* row)>& fn) override {
        sp::Value row[sp::sales_fixed_columns];
        for (auto& v : row) v.present = true;
        std::string order;
        for (uint64_t n = 0; n < kLines; ++n) {
            order = "o" + std::to_string(n / 2);
            row[0].s = order;
            row[1].i = kBase + static_cast<int64_t>(n) * 1'000'000;
            row[2].u = n % kCustomers;
            row[3].s = "item";
            row[4].i = n % 10 == 9 ? -1'000'000 : 1'000'000;
            row[5].i = 1'000'000;
            fn(row);
        }
    }
    void query(const std::string&, const std::vector<sp::Value>&,
               const std::function<void(const sp::SqlRow&)>&) override {}
};

TEST(Scale, AMillionLines) {
    SyntheticStore store;
    const int64_t as_of = SyntheticStore::kBase + 10'000'000'000'000;  // after every line
    // Each customer c has 10 lines: n = c + 100000 k (k = 0..9); n % 10 == c % 10, so customers
    // with c % 10 == 9 have ten returns (revenue -10) and the others +10.
    sg::Rule rule = revenue({}, std::nullopt, 0);
    sp::EvaluationRequest request;
    request.rule = &rule;
    request.as_of_us = as_of;
    const auto started = std::chrono::steady_clock::now();
    const auto result = evaluate_segment(request, store);
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
    ASSERT_EQ(result.customers.size(), 10'000u);
    EXPECT_EQ(result.customers.front(), 9u);
    EXPECT_EQ(result.customers.back(), 99'999u);
    RecordProperty("seconds", std::to_string(seconds.count()));

    // Every line is an order: 10 purchases for each customer with c % 10 != 9, none for the others.
    sg::Rule ten = orders({}, 10, 10);
    request.rule = &ten;
    EXPECT_EQ(evaluate_segment(request, store).customers.size(), 90'000u);
}

}  // namespace
}  // namespace sightline::evaluator_memory::testing
