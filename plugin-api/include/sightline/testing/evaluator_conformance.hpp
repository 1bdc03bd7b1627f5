// The evaluator conformance suite: what every `evaluator` plugin must compute for the segment
// language v1 (shared/specs/segments.md), checked through the real host (Harness::evaluate: the
// definition as JSON text, parsed and normalised by the host) on small hand-made data, one test
// per rule and per boundary of the spec, with the expected customer ids worked out by hand.
// Header-only: include it in exactly one test source and instantiate it, e.g.
//
//   #include <sightline/testing/evaluator_conformance.hpp>
//   using sightline::testing::EvaluatorConformance;
//   using sightline::testing::EvaluatorUnderTest;
//   INSTANTIATE_TEST_SUITE_P(MyEvaluator, EvaluatorConformance, ::testing::Values(
//       EvaluatorUnderTest{"my_evaluator_sqlite", "my-evaluator",
//                          R"({plugin: target-sqlite, config: {dir: "{dir}/db"}})",
//                          {MY_BUILD_DIR, SDK_PLUGIN_DIR}, ""}),
//       [](const auto& info) { return info.param.name; });
//
// Link Sightline::harness and GTest. The suite uses the bundled archive-fs as the archive.
#pragma once

#include "sightline/testing/conformance/evaluator_customer_tests.hpp"
#include "sightline/testing/conformance/evaluator_field_tests.hpp"
#include "sightline/testing/conformance/evaluator_fixture.hpp"
#include "sightline/testing/conformance/evaluator_rule_tests.hpp"
