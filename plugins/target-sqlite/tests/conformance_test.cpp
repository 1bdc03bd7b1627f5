// The SDK's target conformance suite (sightline/testing/target_conformance.hpp) run against this
// plugin, through the real host pipeline: the same test a third-party target would run.
#include <sightline/testing/target_conformance.hpp>

namespace {

using sightline::testing::TargetConformance;
using sightline::testing::TargetUnderTest;

INSTANTIATE_TEST_SUITE_P(TargetSqlite, TargetConformance,
                         ::testing::Values(TargetUnderTest{
                             "target_sqlite",
                             R"({plugin: target-sqlite, config: {dir: "{dir}/db"}})",
                             {SIGHTLINE_BUILD_PLUGIN_DIR},
                             ""}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
