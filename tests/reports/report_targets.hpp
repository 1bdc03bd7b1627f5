// The targets the report tests run on: SQLite always, PostgreSQL when SIGHTLINE_POSTGRES_DSN is
// set (also running the greenplum dialect's SQL against that server: target-greenplum stores
// the same tables, only its DDL differs), Greenplum itself when SIGHTLINE_GREENPLUM_DSN is set.
// A target whose server is not configured skips with the reason, as the segment tests do.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "sightline/testing/harness.hpp"

namespace sightline::reporttest {

struct TargetCase {
    std::string name;
    std::string dsn_variable;  // "" for SQLite
    std::string plugin;
};

inline void PrintTo(const TargetCase& c, std::ostream* out) { *out << c.name; }

std::vector<TargetCase> target_cases();

class ReportTarget : public ::testing::TestWithParam<TargetCase> {
protected:
    void SetUp() override;
    void TearDown() override;

    // Loads the catalog then the sales text into tenant t1.
    void load(const std::string& catalog_csv, const std::string& sales_csv);
    std::unique_ptr<plugin::TenantStore> store();
    // The dialects to run the reports in on this target's store.
    std::vector<std::string> dialects();

    std::unique_ptr<testing::Harness> harness_;
    std::string prefix_;
};

}  // namespace sightline::reporttest
