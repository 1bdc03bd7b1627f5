// The SDK's target conformance suite on the third-party-style target, through the real host
// pipeline, as its author would run it: the plugin is loaded from its own build folder.
#include <sightline/testing/target_conformance.hpp>

namespace {

using sightline::testing::TargetConformance;
using sightline::testing::TargetUnderTest;

INSTANTIATE_TEST_SUITE_P(TargetThirdParty, TargetConformance,
                         ::testing::Values(TargetUnderTest{
                             "target_thirdparty",
                             R"({plugin: target-thirdparty, config: {root: "{dir}/memdb"}})",
                             {SIGHTLINE_THIRD_PARTY_PLUGIN_DIR, SIGHTLINE_BUILD_PLUGIN_DIR},
                             ""}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
