// The SDK's target conformance suite against target-postgres when SIGHTLINE_POSTGRES_DSN names an
// administrative connection, and against target-greenplum when SIGHTLINE_GREENPLUM_DSN does (it
// creates and drops one database per tenant and test, named sl_<unique>_<tenant>). Without its
// variable an instantiation's tests are skipped with the reason.
#include <stdlib.h>

#include <sightline/testing/target_conformance.hpp>

// libpqxx 6.4 leaks a PGresult when a statement runs on a connection the server has closed (a
// store whose tenant was dropped, which the restore tests do); the frames are all inside libpq and
// libpqxx (plugins/target-postgres/tests/live_support.cpp has the same hook).
extern "C" const char* __lsan_default_suppressions() { return "leak:libpqxx-6.4.so\n"; }

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

TargetUnderTest database_target(const char* name, const char* plugin, const char* variable) {
    const char* dsn = ::getenv(variable);
    TargetUnderTest t;
    t.name = name;
    t.plugin_path = {SIGHTLINE_BUILD_PLUGIN_DIR};
    if (!dsn || !*dsn) {
        t.skip_reason = std::string(variable) + " not set";
        return t;
    }
    t.target_yaml = std::string("{plugin: ") + plugin +
                    ", config: {admin_dsn: " + yaml_quoted(dsn) +
                    ", database_prefix: \"sl_{unique}_\"}}";
    return t;
}

INSTANTIATE_TEST_SUITE_P(Databases, TargetConformance,
                         ::testing::Values(database_target("target_postgres", "target-postgres",
                                                           "SIGHTLINE_POSTGRES_DSN"),
                                           database_target("target_greenplum", "target-greenplum",
                                                           "SIGHTLINE_GREENPLUM_DSN")),
                         [](const auto& info) { return info.param.name; });

}  // namespace
