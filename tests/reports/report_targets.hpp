// The targets the report tests run on: SQLite always, PostgreSQL when SIGHTLINE_POSTGRES_DSN is
// set, Greenplum when SIGHTLINE_GREENPLUM_DSN is set (a target whose server is not configured
// skips with the reason, as the segment tests do); and on each, every evaluator of this build
// that computes reports (SIGHTLINE_REPORT_EVALUATORS, set by CMakeLists.txt: evaluator-sql,
// evaluator-memory, and evaluator-columnar when it is built). The greenplum dialect's SQL on a
// PostgreSQL server is evaluator-sql's own test (plugins/evaluator-sql/tests/report_test.cpp).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "sightline/core/report.hpp"
#include "sightline/core/runtime.hpp"
#include "sightline/testing/harness.hpp"

namespace sightline::reporttest {

struct TargetCase {
    std::string name;
    std::string dsn_variable;  // "" for SQLite
    std::string plugin;
};

inline void PrintTo(const TargetCase& c, std::ostream* out) { *out << c.name; }

std::vector<TargetCase> target_cases();
// The evaluator ids the reports are compared across, the oracle (evaluator-memory) first.
std::vector<std::string> evaluator_ids();

class ReportTarget : public ::testing::TestWithParam<TargetCase> {
protected:
    void SetUp() override;
    void TearDown() override;

    // Loads the catalog then the sales text into tenant t1.
    void load(const std::string& catalog_csv, const std::string& sales_csv);
    std::unique_ptr<plugin::TenantStore> store();
    // One report of tenant t1 computed by the named evaluator, chosen as the host chooses one
    // for reports (core::choose_evaluator), through the host's report module.
    nlohmann::json run(const std::string& evaluator, const std::string& name,
                       const core::report::Request& request);

    std::unique_ptr<testing::Harness> harness_;
    std::unique_ptr<core::Runtime> runtime_;  // the same profile, for its evaluators
    std::string prefix_;
};

}  // namespace sightline::reporttest
