// The fixture of the evaluator conformance suite (evaluator_conformance.hpp): the parameter, the
// profile it builds, and helpers that load small files and evaluate definitions through the host.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sightline/plugin/target.hpp"
#include "sightline/testing/harness.hpp"

namespace sightline::testing {

// One evaluator on one target configuration.
struct EvaluatorUnderTest {
    std::string name;       // shown in test names: letters, digits and '_' only
    std::string evaluator;  // the plugin id under test, e.g. "evaluator-memory"
    // The profile's `target:` section as flow YAML, e.g.
    //   {plugin: target-sqlite, config: {dir: "{dir}/db"}}
    // "{dir}" becomes the harness's temporary folder; "{unique}" a token unique to the test
    // (t<pid>_<n>), so that test processes sharing one database server use different databases.
    std::string target_yaml;
    // Folders to find plugins in: the evaluator, the target, and the SDK's bundled plugins (for
    // the archive-fs archive the suite uses).
    std::vector<std::string> plugin_path;
    // Non-empty: every test is skipped with this reason (e.g. "SIGHTLINE_POSTGRES_DSN not set").
    std::string skip_reason;
    // The profile's `evaluators:` list as flow YAML; empty: [{plugin: <evaluator>}]. The suite
    // always names `evaluator` when it evaluates, whatever else the list holds.
    std::string evaluators_yaml;
};

inline void PrintTo(const EvaluatorUnderTest& e, std::ostream* os) { *os << e.name; }

namespace conformance {

// A token unique to this process and call: "e<pid>_<n>", safe in database and file names.
inline std::string evaluator_unique_token() {
    static std::atomic<unsigned> counter{0};
    return "e" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
}

inline std::string evaluator_replace_all(std::string text, const std::string& from,
                                         const std::string& to) {
    for (size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size())
        text.replace(at, from.size(), to);
    return text;
}

constexpr const char* kEvalSalesHeader = "order,timestamp,customer,item,price\n";
// The evaluation instant most tests use, and instants relative to it:
//   kAsOf - 1 day = 2026-01-30T12:00:00Z, - 30 days = 2026-01-01T12:00:00Z,
//   - 90 days = 2025-11-02T12:00:00Z, - 365 days = 2025-01-31T12:00:00Z.
constexpr const char* kAsOf = "2026-01-31T12:00:00Z";

// Purchases at kAsOf (orders with a net total > 0, at the time of their earliest line):
//   1: O1 01-10, O2 01-20         2: none (O3 refunded in full before kAsOf, O4 totals 0)
//   3: O5 01-05 (its refund comes after kAsOf: at 02-11 it is no purchase)
//   4: O6 2025-12-01, O7 01-30    5: O8 01-20 (10 - 2 after a return)
//   6: O9 2025-12-20 (its earliest line is a -5 that a later +10 outweighs)
//   7: O10 2025-01-01             8: O11 2025-06-01
// Revenue over all lines at kAsOf: 1:15 2:0 3:10 4:4 5:8 6:5 7:100 8:1;
// within 30 days (after 2026-01-01T12:00:00Z): 1:15 2:0 3:10 4:1 5:8 6:10 7:0 8:0.
inline const char* order_history() {
    return "O1,2026-01-10T00:00:00Z,1,x,10\n"
           "O2,2026-01-20T00:00:00Z,1,x,5\n"
           "O3,2026-01-15T00:00:00Z,2,x,10\n"
           "O3,2026-01-25T00:00:00Z,2,x,-10\n"
           "O4,2026-01-15T00:00:00Z,2,x,0\n"
           "O5,2026-01-05T00:00:00Z,3,x,10\n"
           "O5,2026-02-10T00:00:00Z,3,x,-10\n"
           "O6,2025-12-01T00:00:00Z,4,x,3\n"
           "O7,2026-01-30T00:00:00Z,4,x,1\n"
           "O8,2026-01-20T00:00:00Z,5,x,10\n"
           "O8,2026-01-21T00:00:00Z,5,x,-2\n"
           "O9,2025-12-20T00:00:00Z,6,x,-5\n"
           "O9,2026-01-20T00:00:00Z,6,x,10\n"
           "O10,2025-01-01T00:00:00Z,7,x,100\n"
           "O11,2025-06-01T00:00:00Z,8,x,1\n";
}

}  // namespace conformance

class EvaluatorConformance : public ::testing::TestWithParam<EvaluatorUnderTest> {
protected:
    using Ids = std::vector<uint64_t>;
    static constexpr const char* kTenant = "acme";
    // Lifecycle thresholds from its profile: active_days 30, inactive_days 200.
    static constexpr const char* kSlow = "slow";

    void SetUp() override {
        if (!GetParam().skip_reason.empty()) GTEST_SKIP() << GetParam().skip_reason;
        harness_ = std::make_unique<Harness>(profile(), GetParam().plugin_path);
    }

    void TearDown() override {
        // Databases on a server outlive the test: remove what the test made (best effort).
        if (!harness_) return;
        for (const char* tenant : {kTenant, kSlow}) {
            try {
                harness_->target().drop(tenant);
            } catch (...) {
            }
        }
        harness_.reset();
    }

    std::string profile() const {
        const EvaluatorUnderTest& p = GetParam();
        const std::string evaluators =
            p.evaluators_yaml.empty() ? "[{plugin: " + p.evaluator + "}]" : p.evaluators_yaml;
        return "version: 1\n"
               "archive: {plugin: archive-fs, config: {root: \"{dir}/archive\", "
               "compression: none, fsync: false}}\n"
               "target: " +
               conformance::evaluator_replace_all(p.target_yaml, "{unique}",
                                                  conformance::evaluator_unique_token()) +
               "\n"
               "evaluators: " +
               evaluators +
               "\n"
               "tenants: [{id: " +
               kTenant + "}, {id: " + kSlow + ", active_days: 30, inactive_days: 200}]\n";
    }

    Harness& h() { return *harness_; }

    // Loads a file for the tenant; a name starting with "catalog" is a catalog. Fails the test
    // unless the file is loaded.
    void load(const std::string& csv, const std::string& name = "sales.csv",
              const std::string& tenant = kTenant) {
        const LoadResult r = h().load_text(tenant, name, csv);
        ASSERT_EQ(r.outcome, "loaded")
            << name << ": " << r.message << (r.errors.empty() ? "" : " " + r.errors[0]);
    }
    // Sales lines under the header order,timestamp,customer,item,price.
    void load_sales(const std::string& lines, const std::string& tenant = kTenant) {
        load(std::string(conformance::kEvalSalesHeader) + lines, "sales.csv", tenant);
    }

    // The definition around a rule (JSON text), evaluated by the evaluator under test.
    EvaluateResult evaluate(const std::string& rule_json,
                            const std::string& as_of = conformance::kAsOf,
                            const std::string& tenant = kTenant) {
        const std::string definition =
            R"({"id": "conformance", "name": "conformance", "rule": )" + rule_json + "}";
        EvaluateResult r = h().evaluate(tenant, definition, as_of, GetParam().evaluator);
        EXPECT_EQ(r.evaluator, GetParam().evaluator) << rule_json;
        return r;
    }
    Ids ids(const std::string& rule_json, const std::string& as_of = conformance::kAsOf,
            const std::string& tenant = kTenant) {
        return evaluate(rule_json, as_of, tenant).customers;
    }

private:
    std::unique_ptr<Harness> harness_;
};

}  // namespace sightline::testing
