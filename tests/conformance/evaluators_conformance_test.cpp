// The SDK's evaluator conformance suite against the bundled evaluators (evaluator-memory, the
// reference written from the spec, evaluator-sql and evaluator-columnar) on every bundled
// database target:
// target-sqlite always, target-postgres when SIGHTLINE_POSTGRES_DSN names an administrative
// connection, target-greenplum when SIGHTLINE_GREENPLUM_DSN does. An evaluator whose module is not
// in the build's plugin folder has its cases skipped with the reason.
#include <stdlib.h>

#include <filesystem>
#include <sightline/testing/evaluator_conformance.hpp>

// libpqxx 6.4 leaks a PGresult when a statement runs on a connection the server has closed (see
// database_targets_conformance_test.cpp).
extern "C" const char* __lsan_default_suppressions() { return "leak:libpqxx-6.4.so\n"; }

namespace {

using sightline::testing::EvaluatorConformance;
using sightline::testing::EvaluatorUnderTest;

const char* const kEvaluators[] = {"evaluator-sql", "evaluator-memory", "evaluator-columnar"};

bool built(const std::string& plugin) {
    return std::filesystem::exists(std::string(SIGHTLINE_BUILD_PLUGIN_DIR) + "/sightline-" +
                                   plugin + ".so");
}

// The profile lists every bundled evaluator that this build has.
std::string evaluators_yaml() {
    std::string list;
    for (const char* e : kEvaluators)
        if (built(e)) list += std::string(list.empty() ? "" : ", ") + "{plugin: " + e + "}";
    return "[" + list + "]";
}

// A YAML double-quoted scalar: the DSN may hold spaces, quotes or backslashes.
std::string yaml_quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::vector<EvaluatorUnderTest> cases() {
    struct Target {
        const char* name;
        const char* plugin;
        const char* variable;  // nullptr: no server needed
    };
    const Target targets[] = {{"sqlite", "target-sqlite", nullptr},
                              {"postgres", "target-postgres", "SIGHTLINE_POSTGRES_DSN"},
                              {"greenplum", "target-greenplum", "SIGHTLINE_GREENPLUM_DSN"}};
    std::vector<EvaluatorUnderTest> out;
    for (const char* evaluator : kEvaluators) {
        for (const Target& target : targets) {
            EvaluatorUnderTest e;
            e.evaluator = evaluator;
            e.name = std::string(evaluator + sizeof("evaluator-") - 1) + "_" + target.name;
            e.plugin_path = {SIGHTLINE_BUILD_PLUGIN_DIR};
            e.evaluators_yaml = evaluators_yaml();
            const char* dsn = target.variable ? ::getenv(target.variable) : nullptr;
            if (!built(evaluator)) {
                e.skip_reason = std::string(evaluator) + " is not built";
            } else if (!built(target.plugin)) {
                e.skip_reason = std::string(target.plugin) + " is not built";
            } else if (!target.variable) {
                e.target_yaml =
                    std::string("{plugin: ") + target.plugin + R"(, config: {dir: "{dir}/db"}})";
            } else if (!dsn || !*dsn) {
                e.skip_reason = std::string(target.variable) + " not set";
            } else {
                e.target_yaml = std::string("{plugin: ") + target.plugin +
                                ", config: {admin_dsn: " + yaml_quoted(dsn) +
                                ", database_prefix: \"sl_{unique}_\"}}";
            }
            out.push_back(e);
        }
    }
    return out;
}

INSTANTIATE_TEST_SUITE_P(Bundled, EvaluatorConformance, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
