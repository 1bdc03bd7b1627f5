#include "report_targets.hpp"

#include <stdlib.h>

#include <random>

namespace sightline::reporttest {

namespace {

std::string yaml_quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

}  // namespace

std::vector<TargetCase> target_cases() {
    return {TargetCase{"sqlite", "", "target-sqlite"},
            TargetCase{"postgres", "SIGHTLINE_POSTGRES_DSN", "target-postgres"},
            TargetCase{"greenplum", "SIGHTLINE_GREENPLUM_DSN", "target-greenplum"}};
}

void ReportTarget::SetUp() {
    const TargetCase& c = GetParam();
    std::string target = "{plugin: target-sqlite, config: {dir: \"{dir}/db\"}}";
    if (!c.dsn_variable.empty()) {
        const char* dsn = ::getenv(c.dsn_variable.c_str());
        if (!dsn || !*dsn) GTEST_SKIP() << c.dsn_variable << " not set";
        std::random_device random;
        prefix_ = "sl_rep" + std::to_string(random() % 1000000) + "_";
        target = "{plugin: " + c.plugin + ", config: {admin_dsn: " + yaml_quoted(dsn) +
                 ", database_prefix: " + prefix_ + "}}";
    }
    harness_ = std::make_unique<testing::Harness>(
        "version: 1\n"
        "state_dir: \"{dir}/state\"\n"
        "archive: {plugin: archive-fs, config: {root: \"{dir}/archive\"}}\n"
        "target: " +
            target + "\ntenants: [{id: t1}]\n",
        std::vector<std::string>{SIGHTLINE_BUILD_PLUGIN_DIR});
}

void ReportTarget::TearDown() {
    if (!harness_ || prefix_.empty()) return;
    try {
        harness_->target().drop("t1");
    } catch (...) {
    }
}

void ReportTarget::load(const std::string& catalog_csv, const std::string& sales_csv) {
    auto catalog = harness_->load_text("t1", "catalog.csv", catalog_csv);
    ASSERT_EQ(catalog.outcome, "loaded") << catalog.message;
    auto sales = harness_->load_text("t1", "sales.csv", sales_csv);
    ASSERT_EQ(sales.outcome, "loaded")
        << sales.message << (sales.errors.empty() ? "" : sales.errors[0]);
}

std::unique_ptr<plugin::TenantStore> ReportTarget::store() { return harness_->target().open("t1"); }

std::vector<std::string> ReportTarget::dialects() {
    const std::string own = harness_->target().dialect();
    if (own == "postgresql") return {own, "greenplum"};
    return {own};
}

}  // namespace sightline::reporttest
