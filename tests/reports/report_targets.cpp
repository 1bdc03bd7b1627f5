#include "report_targets.hpp"

#include <stdlib.h>

#include <random>
#include <sstream>

#include "sightline/core/evaluator_choice.hpp"

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

std::vector<std::string> evaluator_ids() {
    std::vector<std::string> out;
    std::istringstream list(SIGHTLINE_REPORT_EVALUATORS);
    for (std::string id; std::getline(list, id, ',');)
        if (!id.empty()) out.push_back(id);
    return out;
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
    std::string evaluators;
    for (const std::string& id : evaluator_ids())
        evaluators += (evaluators.empty() ? "{plugin: " : ", {plugin: ") + id + "}";
    harness_ = std::make_unique<testing::Harness>(
        "version: 1\n"
        "state_dir: \"{dir}/state\"\n"
        "archive: {plugin: archive-fs, config: {root: \"{dir}/archive\"}}\n"
        "target: " +
            target + "\nevaluators: [" + evaluators + "]\ntenants: [{id: t1}]\n",
        std::vector<std::string>{SIGHTLINE_BUILD_PLUGIN_DIR});
    runtime_ = std::make_unique<core::Runtime>(harness_->dir() + "/profile.yaml",
                                               SIGHTLINE_BUILD_PLUGIN_DIR);
}

void ReportTarget::TearDown() {
    runtime_.reset();
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

nlohmann::json ReportTarget::run(const std::string& evaluator, const std::string& name,
                                 const core::report::Request& request) {
    plugin::Target& target = runtime_->target();
    auto store = target.open("t1");
    const core::ChosenEvaluator chosen = core::choose_evaluator(
        *runtime_, evaluator, target.dialect(), "t1", *store, core::EvaluatorPurpose::reports);
    return core::report::run(*chosen.evaluator, *store, "t1", name, request);
}

}  // namespace sightline::reporttest
