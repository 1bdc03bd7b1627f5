// Test support: backends (target-sqlite always; target-postgres and target-greenplum when their
// DSN variables are set), tenants loaded once per backend through the SDK harness, rule
// builders and the evaluator under test.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "sightline/plugin/evaluator.hpp"
#include "sightline/plugin/segment.hpp"
#include "sightline/testing/harness.hpp"
#include "sql_compiler.hpp"

namespace sightline::evaluator_sql::testing {

namespace sp = sightline::plugin;
namespace seg = sightline::plugin::segment;

struct Backend {
    std::string name;         // test name suffix
    std::string target_yaml;  // the profile's target: section
    std::string skip_reason;  // non-empty: no server configured
};

// sqlite, postgres, greenplum (the last two skip themselves without their DSN).
std::vector<Backend> backends();
// gtest prints a failing parameter with this (the name, not the bytes).
void PrintTo(const Backend& backend, std::ostream* os);
std::string backend_name(const ::testing::TestParamInfo<Backend>& info);

// A tenant of a backend with its files loaded, kept for the whole test program (a database
// server keeps nothing afterwards: the tenant's database is dropped at exit).
struct Tenant {
    std::unique_ptr<sightline::testing::Harness> harness;
    std::unique_ptr<sp::TenantStore> store;
    uint64_t lines = 0;  // sales lines loaded
};

// Loads `files` (name, CSV text; names starting with "catalog" are catalogs) into tenant `id`
// of the backend the first time it is asked for, and returns the same tenant afterwards.
Tenant& tenant(const Backend& backend, const std::string& id,
               const std::vector<std::pair<std::string, std::string>>& files);

// µs of a sales timestamp ("2026-01-31T12:00:00Z", "2026-01-31").
int64_t us(const std::string& timestamp);

// The evaluator under test, run on the store.
std::vector<uint64_t> evaluate(sp::TenantStore& store, const seg::Rule& rule, int64_t as_of_us,
                               int64_t active_days = 90, int64_t inactive_days = 365);
sp::EvaluationResult evaluate_full(sp::TenantStore& store, const seg::Rule& rule, int64_t as_of_us);

// --- rule builders ----------------------------------------------------------------------------
seg::Window no_window();
seg::Window within(int64_t days);
seg::Window between(const std::string& first_day, const std::string& last_day);

seg::Rule all(std::vector<seg::Rule> rules);
seg::Rule any(std::vector<seg::Rule> rules);
seg::Rule not_(seg::Rule rule);
seg::Rule purchased(seg::Window w = {}, std::vector<std::string> items = {},
                    std::vector<std::string> categories = {}, int64_t min_orders = 1);
seg::Rule orders(seg::Window w, std::optional<int64_t> min, std::optional<int64_t> max);
// Bounds in millionths.
seg::Rule revenue(seg::Window w, std::optional<int64_t> min, std::optional<int64_t> max);
seg::Rule last_purchase(std::optional<int64_t> within_days, std::optional<int64_t> before_days);
seg::Rule first_purchase(std::optional<int64_t> within_days, std::optional<int64_t> before_days);
seg::Rule lifecycle(seg::Stage stage);
seg::Rule field_text(const std::string& name, seg::FieldOp op, std::vector<std::string> values,
                     seg::Window w = {});
// int64, decimal millionths or timestamp µs, by the type given.
seg::Rule field_number(const std::string& name, sp::ValueType type, seg::FieldOp op,
                       std::vector<int64_t> values, seg::Window w = {});

constexpr int64_t kUnit = 1'000'000;  // one currency unit in millionths
constexpr uint64_t kMaxId = 18446744073709551615ULL;
constexpr uint64_t kHalfId = 9223372036854775808ULL;

// A CSV field, quoted when needed (RFC 4180).
std::string csv(const std::string& value);

}  // namespace sightline::evaluator_sql::testing
