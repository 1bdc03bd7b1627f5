// evaluator-columnar against evaluator-memory (the oracle, written from the spec) on random data
// and random rule trees at random instants, through every way a snapshot comes about: a full
// build, extensions by later loads, rebuilds after deletions, full uploads and restores, and the
// throwaway snapshot of a pre-1.5 store.
#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>

#include "columnar_evaluator.hpp"
#include "evaluation.hpp"  // evaluator-memory
#include "fake_store.hpp"

namespace sightline::evaluator_columnar::testing {
namespace {

class Agreement : public ::testing::Test {
protected:
    Agreement() : data_(generated_columns()), columnar_(ColumnarConfig{}, nullptr) {
        data_.set_catalog(random_catalog());
    }

    // Evaluates `cases` random rules at random instants with both evaluators.
    void agree(int cases, const std::vector<Line>& lines) {
        for (int i = 0; i < cases; ++i) {
            const sg::Rule rule = random_rule(rng_);
            sp::EvaluationRequest request;
            request.rule = &rule;
            request.as_of_us = random_as_of(rng_, lines);
            request.tenant = "acme";
            request.active_days = 30 + static_cast<int64_t>(rng_() % 100);
            request.inactive_days = request.active_days + 1 + static_cast<int64_t>(rng_() % 300);
            auto store = data_.open();
            const auto expected = evaluator_memory::evaluate_segment(request, *store).customers;
            const auto got = columnar_.evaluate(request, *store).customers;
            matched_ += expected.size();
            ++evaluations_;
            if (got != expected) {
                std::vector<uint64_t> only_columnar, only_memory;
                std::set_difference(got.begin(), got.end(), expected.begin(), expected.end(),
                                    std::back_inserter(only_columnar));
                std::set_difference(expected.begin(), expected.end(), got.begin(), got.end(),
                                    std::back_inserter(only_memory));
                ADD_FAILURE() << "case " << i << " rule " << sg::to_string(rule.kind) << " as_of "
                              << request.as_of_us << ": columnar " << got.size() << " ids, memory "
                              << expected.size() << " (" << only_columnar.size()
                              << " only columnar, " << only_memory.size() << " only memory)";
                if (++failures_ >= 5) return;
            }
        }
    }

    std::mt19937_64 rng_{20261205};
    FakeData data_;
    ColumnarEvaluator columnar_;
    size_t matched_ = 0, evaluations_ = 0;
    int failures_ = 0;
};

TEST_F(Agreement, FullBuildAgreesWithTheOracle) {
    auto lines = random_lines(rng_, 150);
    data_.load(lines);
    agree(1500, lines);
    EXPECT_EQ(columnar_.snapshots().last_source("acme"), "resident");
    EXPECT_EQ(data_.full_scans.load() - 1500, 1) << "one build for 1500 evaluations";
    EXPECT_GT(matched_, evaluations_ * 5) << "the random rules match too few customers";
}

TEST_F(Agreement, ExtensionsAgreeWithTheOracle) {
    std::vector<Line> all;
    for (int batch = 0; batch < 4; ++batch) {
        // New customers and new lines of existing customers (same order ids too).
        auto lines = random_lines(rng_, 40, batch % 2 ? 1 : 1000 + batch);
        data_.load(lines);
        all.insert(all.end(), lines.begin(), lines.end());
        agree(300, all);
        if (batch > 0) {
            EXPECT_EQ(columnar_.snapshots().last_source("acme"), "resident");
        }
    }
    EXPECT_EQ(data_.scans_after.load(), 3) << "three loads, three extensions";
}

TEST_F(Agreement, RebuildsAfterRemovalsAgreeWithTheOracle) {
    auto lines = random_lines(rng_, 80);
    data_.load(lines);
    agree(200, lines);
    data_.delete_customers({1, 4, 7, 10, 13});
    lines.erase(
        std::remove_if(lines.begin(), lines.end(),
                       [](const Line& l) { return l.customer <= 13 && l.customer % 3 == 1; }),
        lines.end());
    agree(300, lines);
    auto replaced = random_lines(rng_, 50, 5000);
    data_.replace(replaced);
    agree(300, replaced);
    auto restored = random_lines(rng_, 30, 9000);
    data_.restore(restored);
    agree(300, restored);
}

TEST_F(Agreement, PreApi15StoreGetsAThrowawaySnapshot) {
    data_.legacy = true;
    auto lines = random_lines(rng_, 60);
    data_.load(lines);
    agree(300, lines);
    EXPECT_EQ(columnar_.snapshots().last_source("acme"), "") << "nothing is kept";
}

TEST_F(Agreement, EmptyTenantMatchesNobody) {
    sg::Rule rule;
    rule.kind = sg::RuleKind::not_;
    rule.rules.emplace_back();
    rule.rules[0].kind = sg::RuleKind::lifecycle;
    sp::EvaluationRequest request;
    request.rule = &rule;
    request.as_of_us = kBase;
    request.tenant = "acme";
    auto store = data_.open();
    EXPECT_TRUE(columnar_.evaluate(request, *store).customers.empty());
}

}  // namespace
}  // namespace sightline::evaluator_columnar::testing
