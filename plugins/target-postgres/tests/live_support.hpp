// The live suite's fixtures: a target on a real server (PostgreSQL from tests/pg/start-postgres.sh,
// or Greenplum), unique database names per test, and builders for specs, rows and records.
// Tests skip with a message when the backend's DSN variable is unset.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pg_target.hpp"
#include "sightline/plugin/target.hpp"
#include "sightline/testing/plugin_testing.hpp"

namespace sightline::target_pg::testing {

namespace sp = sightline::plugin;

// What a test executable runs the live suite against (defined in its *_backend.cpp).
struct LiveBackend {
    const char* name;     // for skip messages
    const char* dsn_env;  // the environment variable holding an admin DSN
    std::function<std::unique_ptr<PgTarget>(const nlohmann::json& config, sp::HostServices* host)>
        make;
};
const LiveBackend& live_backend();

// The admin DSN from the backend's variable, or "" when unset.
std::string live_admin_dsn();

struct SaleLine {
    std::string order = "o1";
    int64_t ts = 1'700'000'000'000'000;
    uint64_t customer = 1;
    std::string item = "sku-1";
    int64_t price = 10'000'000;  // 10.0
    std::optional<int64_t> quantity;
    // Custom values in spec order; nullopt = missing. Text for s_ columns, integers otherwise.
    std::vector<std::optional<std::string>> custom_text;
    std::vector<std::optional<int64_t>> custom_int;
};

sp::LoadSpec sales_spec(const std::vector<sp::Column>& custom = {},
                        sp::LoadMode mode = sp::LoadMode::incremental);
sp::LoadSpec catalog_spec(const std::vector<sp::Column>& custom = {});
sp::FileRecord loaded_record(const std::string& name, uint64_t rows,
                             sp::FileKind kind = sp::FileKind::sales,
                             sp::LoadMode mode = sp::LoadMode::incremental);
void append_lines(sp::LoadTransaction& load, const sp::LoadSpec& spec,
                  const std::vector<SaleLine>& lines);
// Loads and commits the lines as one file.
void load_lines(sp::TenantStore& store, const std::vector<SaleLine>& lines,
                const std::string& name = "sales.csv",
                sp::LoadMode mode = sp::LoadMode::incremental);

// One query, every row's columns as text ("NULL" for nulls).
std::vector<std::vector<std::string>> query_text(sp::TenantStore& store, const std::string& sql,
                                                 const std::vector<sp::Value>& params = {});
uint64_t count_lines(sp::TenantStore& store);

class LiveTest : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;

    // A target on the backend with this test's unique database_prefix; `extra` overrides keys.
    std::unique_ptr<PgTarget> make_target(const nlohmann::json& extra = nlohmann::json::object());
    // Opens the tenant on target (default: this test's target); the tenant is dropped at the end.
    std::unique_ptr<sp::TenantStore> open(const std::string& tenant = "acme",
                                          PgTarget* target = nullptr);
    // Runs SQL as the admin, in database `database` ("" = the admin DSN's own).
    void admin_exec(const std::string& sql, const std::string& database = "");
    std::string database_of(const std::string& tenant) { return target->names(tenant).database; }

    sightline::testing::FakeHost host;
    std::string admin_dsn;
    std::string prefix;
    std::unique_ptr<PgTarget> target;
    std::vector<std::string> tenants;
};

}  // namespace sightline::target_pg::testing
