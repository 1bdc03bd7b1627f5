// The target conformance suite: what every `target` plugin must do, checked through the real host
// pipeline (Harness) and the public plugin API only. Header-only: include it in exactly one test
// source of your plugin and instantiate it (see docs/plugin-authors.md), e.g.
//
//   #include <sightline/testing/target_conformance.hpp>
//   using sightline::testing::TargetConformance;
//   using sightline::testing::TargetUnderTest;
//   INSTANTIATE_TEST_SUITE_P(MyTarget, TargetConformance, ::testing::Values(TargetUnderTest{
//       "my_target", R"({plugin: my-target, config: {dir: "{dir}/db"}})",
//       {MY_BUILD_DIR, SDK_PLUGIN_DIR}, ""}),
//       [](const auto& info) { return info.param.name; });
//
// Link Sightline::harness and GTest. The suite uses the bundled archive-fs as the archive, so the
// plugin path must include the SDK's plugin folder.
#pragma once

#include "sightline/testing/conformance/target_fixture.hpp"
#include "sightline/testing/conformance/target_lifecycle_tests.hpp"
#include "sightline/testing/conformance/target_loading_tests.hpp"
