// The SDK's target conformance suite against target-postgres, when SIGHTLINE_POSTGRES_DSN names
// an administrative connection (it creates and drops one database per tenant and test, named
// sl_<unique>_<tenant>). Without it every test is skipped with the reason.
#include <stdlib.h>

#include <sightline/testing/target_conformance.hpp>

namespace {

using sightline::testing::TargetConformance;
using sightline::testing::TargetUnderTest;

// A YAML double-quoted scalar: the DSN may hold spaces, quotes or backslashes.
std::string yaml_quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

TargetUnderTest target_postgres() {
    const char* dsn = ::getenv("SIGHTLINE_POSTGRES_DSN");
    TargetUnderTest t;
    t.name = "target_postgres";
    t.plugin_path = {SIGHTLINE_BUILD_PLUGIN_DIR};
    if (!dsn || !*dsn) {
        t.skip_reason = "SIGHTLINE_POSTGRES_DSN not set";
        return t;
    }
    t.target_yaml = "{plugin: target-postgres, config: {admin_dsn: " + yaml_quoted(dsn) +
                    ", database_prefix: \"sl_{unique}_\"}}";
    return t;
}

INSTANTIATE_TEST_SUITE_P(TargetPostgres, TargetConformance, ::testing::Values(target_postgres()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
