// The resident snapshot follows the store's data version: reused while equal, extended by later
// loads, rebuilt after removals and restores; one build at a time per tenant; requests holding
// the old snapshot keep it; concurrent requests during a load see the old or the new data, never
// a mix. And declining a tenant above its line limit.
#include <gtest/gtest.h>

#include <thread>

#include "columnar_evaluator.hpp"
#include "fake_store.hpp"

namespace sightline::evaluator_columnar::testing {
namespace {

sg::Rule revenue_at_least(int64_t min) {
    sg::Rule r;
    r.kind = sg::RuleKind::revenue;
    r.min = min;
    return r;
}

std::vector<uint64_t> evaluate(ColumnarEvaluator& e, FakeData& data, const sg::Rule& rule,
                               const std::string& tenant = "acme") {
    sp::EvaluationRequest request;
    request.rule = &rule;
    request.as_of_us = kBase;
    request.tenant = tenant;
    auto store = data.open();
    return e.evaluate(request, *store).customers;
}

using Ids = std::vector<uint64_t>;

TEST(Freshness, EachChangeIsSeenWithTheCheapestRefresh) {
    FakeData data;
    ColumnarEvaluator e({}, nullptr);
    const sg::Rule rule = revenue_at_least(1);
    data.load({line(1, "a", kBase - 5 * kDay, "x", 10), line(2, "b", kBase - 4 * kDay, "x", 5)});
    EXPECT_EQ(evaluate(e, data, rule), (Ids{1, 2}));
    EXPECT_EQ(e.snapshots().last_source("acme"), "built");
    EXPECT_EQ(evaluate(e, data, rule), (Ids{1, 2}));
    EXPECT_EQ(e.snapshots().last_source("acme"), "resident");
    EXPECT_EQ(data.full_scans.load(), 1);

    // A load: extended with the new lines only (one refers to an existing order).
    data.load({line(3, "c", kBase - 3 * kDay, "y", 7), line(2, "b", kBase - 2 * kDay, "x", -5)});
    EXPECT_EQ(evaluate(e, data, rule), (Ids{1, 3}));
    EXPECT_EQ(e.snapshots().last_source("acme"), "extended");
    EXPECT_EQ(data.full_scans.load(), 1);
    EXPECT_EQ(data.scans_after.load(), 1);

    // A catalog load changes the version too: the catalog is re-read.
    const int catalog_reads = data.catalog_reads.load();
    data.set_catalog({{"x", "Shoes"}});
    sg::Rule shoes;
    shoes.kind = sg::RuleKind::purchased;
    shoes.categories = {"Shoes"};
    EXPECT_EQ(evaluate(e, data, shoes), (Ids{1, 2}));
    EXPECT_GT(data.catalog_reads.load(), catalog_reads);

    // A deletion: rebuilt from a full scan.
    data.delete_customers({1});
    EXPECT_EQ(evaluate(e, data, rule), (Ids{3}));
    EXPECT_EQ(e.snapshots().last_source("acme"), "built");
    EXPECT_EQ(data.full_scans.load(), 2);

    // A full upload.
    data.replace({line(9, "z", kBase - kDay, "x", 1)});
    EXPECT_EQ(evaluate(e, data, rule), (Ids{9}));
    EXPECT_EQ(e.snapshots().last_source("acme"), "built");

    // A restore: a new incarnation, even with a smaller mark.
    data.restore({line(4, "r", kBase - kDay, "x", 1)});
    EXPECT_EQ(evaluate(e, data, rule), (Ids{4}));
    EXPECT_EQ(e.snapshots().last_source("acme"), "built");
}

TEST(Freshness, TenantsAreKeptApart) {
    FakeData acme, globex;
    ColumnarEvaluator e({}, nullptr);
    const sg::Rule rule = revenue_at_least(1);
    acme.load({line(1, "a", kBase - kDay, "x", 10)});
    globex.load({line(2, "a", kBase - kDay, "x", 10)});
    EXPECT_EQ(evaluate(e, acme, rule, "acme"), (Ids{1}));
    EXPECT_EQ(evaluate(e, globex, rule, "globex"), (Ids{2}));
    EXPECT_EQ(evaluate(e, acme, rule, "acme"), (Ids{1}));
}

TEST(Freshness, ARequestKeepsTheSnapshotItStartedWith) {
    FakeData data;
    ColumnarEvaluator e({}, nullptr);
    data.load({line(1, "a", kBase - kDay, "x", 10)});
    auto store = data.open();
    const SnapshotPtr old = e.snapshots().current("acme", *store);
    data.load({line(2, "b", kBase - kDay, "x", 10)});
    const SnapshotPtr fresh = e.snapshots().current("acme", *store);
    EXPECT_NE(old, fresh);
    EXPECT_EQ(old->lines(), 1u);
    EXPECT_EQ(fresh->lines(), 2u);
    EXPECT_EQ(old->customers[0], 1u);
}

TEST(Freshness, ConcurrentFirstRequestsBuildOnce) {
    FakeData data(generated_columns());
    std::mt19937_64 rng(5);
    data.load(random_lines(rng, 2000));
    ColumnarEvaluator e({}, nullptr);
    const sg::Rule rule = revenue_at_least(1);
    std::vector<Ids> results(8);
    std::vector<std::thread> threads;
    for (size_t t = 0; t < results.size(); ++t)
        threads.emplace_back([&, t] { results[t] = evaluate(e, data, rule); });
    for (auto& t : threads) t.join();
    EXPECT_EQ(data.full_scans.load(), 1);
    for (const Ids& r : results) EXPECT_EQ(r, results[0]);
}

TEST(Freshness, FortyConcurrentEvaluationsDuringALoadSeeOldOrNew) {
    FakeData data(generated_columns());
    std::mt19937_64 rng(6);
    data.load(random_lines(rng, 1000));
    ColumnarEvaluator e({}, nullptr);
    const sg::Rule rule = revenue_at_least(1);
    const Ids before = evaluate(e, data, rule);
    const auto more = random_lines(rng, 500, 100000);
    std::vector<Ids> results(40);
    std::vector<std::thread> threads;
    for (size_t t = 0; t < results.size(); ++t) {
        threads.emplace_back([&, t] { results[t] = evaluate(e, data, rule); });
        if (t == 10) data.load(more);
    }
    for (auto& t : threads) t.join();
    const Ids after = evaluate(e, data, rule);
    EXPECT_NE(before, after);
    for (const Ids& r : results) EXPECT_TRUE(r == before || r == after);
}

TEST(Declines, AboveTheLimitWithTheReasonCachedPerVersion) {
    FakeData data;
    ColumnarConfig config;
    config.max_resident_lines = 2;
    config.tenant_max_resident_lines["big"] = 0;  // no limit for this one
    ColumnarEvaluator e(config, nullptr);
    data.load({line(1, "a", kBase - kDay, "x", 10), line(2, "b", kBase - kDay, "x", 10)});
    auto store = data.open();
    EXPECT_EQ(e.declines("acme", *store), "");
    EXPECT_EQ(e.declines("acme", *store), "");
    EXPECT_EQ(data.stats_calls.load(), 1) << "decided once per data version";
    data.load({line(3, "c", kBase - kDay, "x", 10)});
    const std::string reason = e.declines("acme", *store);
    EXPECT_NE(reason.find("3 sales lines"), std::string::npos) << reason;
    EXPECT_NE(reason.find("max_resident_lines (2)"), std::string::npos) << reason;
    EXPECT_EQ(e.declines("big", *store), "");
    // With a current snapshot its line count is used, not the store's statistics.
    ColumnarConfig roomy;
    roomy.max_resident_lines = 10;
    ColumnarEvaluator f(roomy, nullptr);
    const sg::Rule rule = revenue_at_least(1);
    evaluate(f, data, rule);
    const int stats = data.stats_calls.load();
    EXPECT_EQ(f.declines("acme", *store), "");
    EXPECT_EQ(data.stats_calls.load(), stats);
    // After a load the resident snapshot of the older version still gives the count: no count
    // over the whole tenant after every load.
    data.load({line(4, "d", kBase - kDay, "x", 10)});
    EXPECT_EQ(f.declines("acme", *store), "");
    EXPECT_EQ(data.stats_calls.load(), stats);
}

}  // namespace
}  // namespace sightline::evaluator_columnar::testing
