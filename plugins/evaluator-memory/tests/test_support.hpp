// Helpers of the unit tests: data loaded into target-sqlite through the SDK harness (the real
// pipeline), rule trees built by hand, and the evaluator called directly on a store.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "evaluation.hpp"
#include "sightline/plugin/segment.hpp"
#include "sightline/testing/harness.hpp"

namespace sightline::evaluator_memory::testing {

namespace sp = sightline::plugin;
namespace sg = sightline::plugin::segment;
using Ids = std::vector<uint64_t>;

// µs of a "YYYY-MM-DDTHH:MM:SSZ" (or "YYYY-MM-DD") text, UTC.
int64_t at(const std::string& text);

constexpr int64_t kDay = sg::kMicrosPerDay;
constexpr int64_t kSecond = 1'000'000;

// A harness with archive-fs and target-sqlite, and the tenant "acme".
class Data {
public:
    Data();
    ~Data();
    // Loads a file (sales unless its name starts with "catalog"); fails the test unless loaded.
    void load(const std::string& name, const std::string& csv);
    // Evaluates the rule at as_of with the evaluator under test, on a fresh store.
    sp::EvaluationResult evaluate(const sg::Rule& rule, int64_t as_of, int64_t active_days = 90,
                                  int64_t inactive_days = 365);
    Ids ids(const sg::Rule& rule, int64_t as_of, int64_t active_days = 90,
            int64_t inactive_days = 365) {
        return evaluate(rule, as_of, active_days, inactive_days).customers;
    }
    sightline::testing::Harness& harness() { return *harness_; }

private:
    std::unique_ptr<sightline::testing::Harness> harness_;
};

// Rule builders.
sg::Window within_days(int64_t n);
sg::Window between(const std::string& first_day, const std::string& second_day);
sg::Rule all(std::vector<sg::Rule> rules);
sg::Rule any(std::vector<sg::Rule> rules);
sg::Rule not_(sg::Rule rule);
sg::Rule purchased(sg::Window w = {}, std::vector<std::string> items = {},
                   std::vector<std::string> categories = {}, int64_t min_orders = 1);
sg::Rule orders(sg::Window w, std::optional<int64_t> min, std::optional<int64_t> max);
sg::Rule revenue(sg::Window w, std::optional<int64_t> min, std::optional<int64_t> max);
sg::Rule last_purchase(std::optional<int64_t> within, std::optional<int64_t> before);
sg::Rule first_purchase(std::optional<int64_t> within, std::optional<int64_t> before);
sg::Rule lifecycle(sg::Stage stage);
sg::Rule field_text(const std::string& name, sg::FieldOp op, std::vector<std::string> values,
                    sg::Window w = {});
sg::Rule field_number(const std::string& name, sp::ValueType type, sg::FieldOp op,
                      std::vector<int64_t> values, sg::Window w = {});

}  // namespace sightline::evaluator_memory::testing
