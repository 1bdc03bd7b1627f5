// The differential test of the segment language: evaluator-sql and evaluator-columnar on every
// database target must give exactly what evaluator-memory (the oracle, written from the spec)
// gives, on random data and random definitions (seeded, reproducible: a failure prints the seed
// and the case), and on 100,000 generated lines for a suite of representative definitions.
//
// SIGHTLINE_SEGMENT_SEED and SIGHTLINE_SEGMENT_CASES change the seed and the number of cases.
// PostgreSQL joins when SIGHTLINE_POSTGRES_DSN is set, Greenplum when SIGHTLINE_GREENPLUM_DSN is.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <random>

#include "segment_data.hpp"
#include "sightline/core/timestamp.hpp"
#include "sightline/testing/harness.hpp"

// libpqxx 6.4 leaks a PGresult on a connection the server closed (see
// plugins/target-postgres/tests/live_support.cpp).
extern "C" const char* __lsan_default_suppressions() { return "leak:libpqxx-6.4.so\n"; }

namespace sightline::segtest {
namespace {

struct TargetCase {
    std::string name;
    std::string dsn_variable;  // "" for SQLite
    std::string plugin;
};

void PrintTo(const TargetCase& c, std::ostream* out) { *out << c.name; }

std::string yaml_quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

// Under the sanitizers (ten times slower) the same test runs fewer random cases by default.
#ifdef __SANITIZE_ADDRESS__
constexpr uint64_t kCaseDivisor = 6;
#else
constexpr uint64_t kCaseDivisor = 1;
#endif

uint64_t env_number(const char* name, uint64_t fallback) {
    const char* v = ::getenv(name);
    return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

class Differential : public ::testing::TestWithParam<TargetCase> {
protected:
    void SetUp() override {
        const TargetCase& c = GetParam();
        std::string target = "{plugin: target-sqlite, config: {dir: \"{dir}/db\"}}";
        if (!c.dsn_variable.empty()) {
            const char* dsn = ::getenv(c.dsn_variable.c_str());
            if (!dsn || !*dsn) GTEST_SKIP() << c.dsn_variable << " not set";
            std::random_device random;
            prefix_ = "sl_diff" + std::to_string(random() % 1000000) + "_";
            target = "{plugin: " + c.plugin + ", config: {admin_dsn: " + yaml_quoted(dsn) +
                     ", database_prefix: " + prefix_ + "}}";
        }
        harness_ = std::make_unique<testing::Harness>(
            "version: 1\n"
            "state_dir: \"{dir}/state\"\n"
            "archive: {plugin: archive-fs, config: {root: \"{dir}/archive\"}}\n"
            "target: " +
                target +
                "\n"
                "evaluators: [{plugin: evaluator-sql}, {plugin: evaluator-memory}, "
                "{plugin: evaluator-columnar}]\n"
                "tenants: [{id: t1}, {id: t2, active_days: 30, inactive_days: 120}]\n",
            std::vector<std::string>{SIGHTLINE_BUILD_PLUGIN_DIR});
    }
    void TearDown() override {
        if (!harness_ || prefix_.empty()) return;
        for (const char* t : {"t1", "t2"}) {
            try {
                harness_->target().drop(t);
            } catch (...) {
            }
        }
    }

    void load(const std::string& tenant, const Dataset& data) {
        auto catalog = harness_->load_text(tenant, "catalog.csv", data.catalog_csv);
        ASSERT_EQ(catalog.outcome, "loaded") << catalog.message;
        auto sales = harness_->load_text(tenant, "sales.csv", data.sales_csv);
        ASSERT_EQ(sales.outcome, "loaded")
            << sales.message << (sales.errors.empty() ? "" : sales.errors[0]);
    }

    // Every evaluator under test against the oracle on one definition; returns false (with a
    // message) when one differs.
    ::testing::AssertionResult agree(const std::string& tenant, const std::string& definition,
                                     int64_t as_of) {
        const std::string when = core::format_timestamp(as_of);
        testing::EvaluateResult oracle;
        std::vector<std::pair<std::string, testing::EvaluateResult>> results;
        try {
            oracle = harness_->evaluate(tenant, definition, when, "evaluator-memory");
            for (const char* evaluator : {"evaluator-sql", "evaluator-columnar"})
                results.emplace_back(evaluator,
                                     harness_->evaluate(tenant, definition, when, evaluator));
        } catch (const std::exception& e) {
            return ::testing::AssertionFailure()
                   << "tenant " << tenant << ", as_of " << when << "\n  definition " << definition
                   << "\n  failed: " << e.what();
        }
        ++evaluations_;
        matched_ += oracle.customers.size();
        auto r = ::testing::AssertionFailure();
        bool differ = false;
        for (const auto& [name, got] : results) {
            if (got.customers == oracle.customers && got.warnings == oracle.warnings) continue;
            if (!differ)
                r << "tenant " << tenant << ", as_of " << when << "\n  definition " << definition;
            differ = true;
            r << "\n  " << name << " " << got.customers.size() << " ids, evaluator-memory "
              << oracle.customers.size() << " ids";
            std::vector<uint64_t> only_got, only_memory;
            std::set_difference(got.customers.begin(), got.customers.end(),
                                oracle.customers.begin(), oracle.customers.end(),
                                std::back_inserter(only_got));
            std::set_difference(oracle.customers.begin(), oracle.customers.end(),
                                got.customers.begin(), got.customers.end(),
                                std::back_inserter(only_memory));
            for (size_t i = 0; i < only_got.size() && i < 5; ++i)
                r << "\n  only " << name << ": " << only_got[i];
            for (size_t i = 0; i < only_memory.size() && i < 5; ++i)
                r << "\n  only memory: " << only_memory[i];
            if (got.warnings != oracle.warnings) r << "\n  " << name << " warnings differ";
        }
        return differ ? r : ::testing::AssertionSuccess();
    }

    std::unique_ptr<testing::Harness> harness_;
    std::string prefix_;
    uint64_t evaluations_ = 0, matched_ = 0;
};

TEST_P(Differential, RandomDefinitionsOnRandomData) {
    const uint64_t seed = env_number("SIGHTLINE_SEGMENT_SEED", 20261129);
    const uint64_t cases = env_number(
        "SIGHTLINE_SEGMENT_CASES", (GetParam().dsn_variable.empty() ? 3000 : 1000) / kCaseDivisor);
    const Dataset d1 = make_dataset(seed, 300), d2 = make_dataset(seed + 1, 120);
    load("t1", d1);
    load("t2", d2);
    const auto instants1 = as_of_candidates(d1), instants2 = as_of_candidates(d2);
    Rng rng(seed * 7919);
    int failures = 0;
    for (uint64_t i = 0; i < cases && failures < 5; ++i) {
        const bool second = rng.chance(30);
        const std::string definition = random_definition(rng, static_cast<int>(i));
        const int64_t as_of = rng.pick(second ? instants2 : instants1);
        const auto result = agree(second ? "t2" : "t1", definition, as_of);
        if (!result) {
            ++failures;
            ADD_FAILURE() << "seed " << seed << ", case " << i << ": " << result.message();
        }
    }
    // A generator that only produced empty results would prove nothing.
    EXPECT_GT(matched_, evaluations_ * 5) << "the random definitions match too few customers";
    std::cout << "[ differential ] " << GetParam().name << ": " << evaluations_
              << " definitions agree (seed " << seed << "), " << matched_ / 2
              << " ids matched in total\n";
}

// The data arrives in three loads and then loses customers to a deletion; after each change
// every evaluator agrees with the oracle (evaluator-columnar extends its snapshot after a load,
// rebuilds it after the deletion). An order's lines may span two loads.
TEST_P(Differential, AgreeAfterEachLoadAndADeletion) {
    const uint64_t seed = env_number("SIGHTLINE_SEGMENT_SEED", 20261129) + 17;
    const Dataset d = make_dataset(seed, 200);
    std::vector<std::string> rows;
    std::string header;
    for (size_t at = 0; at < d.sales_csv.size();) {
        size_t end = d.sales_csv.find('\n', at);
        if (end == std::string::npos) end = d.sales_csv.size();
        const std::string row = d.sales_csv.substr(at, end - at);
        if (header.empty())
            header = row;
        else if (!row.empty())
            rows.push_back(row);
        at = end + 1;
    }
    auto catalog = harness_->load_text("t1", "catalog.csv", d.catalog_csv);
    ASSERT_EQ(catalog.outcome, "loaded") << catalog.message;
    const auto instants = as_of_candidates(d);
    Rng rng(seed * 31);
    int failures = 0;
    auto agree_on_some = [&](const std::string& when) {
        for (int i = 0; i < 60 && failures < 5; ++i) {
            const auto result = agree("t1", random_definition(rng, i), rng.pick(instants));
            if (!result) {
                ++failures;
                ADD_FAILURE() << "seed " << seed << ", " << when << ": " << result.message();
            }
        }
    };
    for (size_t part = 0; part < 3; ++part) {
        std::string csv = header + "\n";
        for (size_t r = part * rows.size() / 3; r < (part + 1) * rows.size() / 3; ++r)
            csv += rows[r] + "\n";
        const auto sales = harness_->load_text("t1", "sales-" + std::to_string(part) + ".csv", csv);
        ASSERT_EQ(sales.outcome, "loaded") << sales.message;
        agree_on_some("after load " + std::to_string(part + 1));
    }
    plugin::DeletionRequest deletion;
    deletion.scope = plugin::DeletionScope::customers;
    for (size_t r = 0; r < rows.size() && deletion.customers.size() < 8; r += rows.size() / 8) {
        // order,timestamp,customer,...: the third cell.
        const size_t first = rows[r].find(',');
        const size_t second = rows[r].find(',', first + 1);
        const size_t third = rows[r].find(',', second + 1);
        deletion.customers.push_back(std::stoull(rows[r].substr(second + 1, third - second - 1)));
    }
    deletion.reason = "differential test";
    deletion.operator_name = "test";
    ASSERT_GT(harness_->delete_lines("t1", deletion).lines, 0u);
    agree_on_some("after the deletion");
}

TEST_P(Differential, RepresentativeDefinitionsOn100000Lines) {
    const Dataset data = make_dataset(77, 16'000);
    ASSERT_GE(data.lines, 100'000u);
    load("t1", data);
    for (const auto& definition : representative_definitions()) {
        for (int64_t as_of : {kBaseUs, kBaseUs - int64_t{200} * 86'400'000'000}) {
            EXPECT_TRUE(agree("t1", definition, as_of));
        }
    }
    std::cout << "[ differential ] " << GetParam().name << ": " << data.lines << " lines, "
              << representative_definitions().size() << " definitions x 2 instants agree\n";
}

INSTANTIATE_TEST_SUITE_P(
    Targets, Differential,
    ::testing::Values(TargetCase{"sqlite", "", "target-sqlite"},
                      TargetCase{"postgres", "SIGHTLINE_POSTGRES_DSN", "target-postgres"},
                      TargetCase{"greenplum", "SIGHTLINE_GREENPLUM_DSN", "target-greenplum"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace sightline::segtest
