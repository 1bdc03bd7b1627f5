// The built module, loaded the way the host loads it (RTLD_NOW | RTLD_LOCAL through Boost.DLL).
#include <gtest/gtest.h>

#include <boost/dll/library_info.hpp>
#include <cstring>

#include "fake_store.hpp"
#include "sightline/plugin/evaluator.hpp"
#include "sightline/testing/plugin_testing.hpp"

namespace sightline::evaluator_columnar::testing {
namespace {

const sl_plugin_descriptor& descriptor() {
    return sightline::testing::load_plugin_module(EVALUATOR_COLUMNAR_PLUGIN_PATH);
}

TEST(DllLoad, DescriptorIsComplete) {
    const auto& d = descriptor();
    EXPECT_EQ(d.struct_size, sizeof(sl_plugin_descriptor));
    EXPECT_EQ(d.api_major, static_cast<uint32_t>(SIGHTLINE_PLUGIN_API_MAJOR));
    EXPECT_EQ(d.api_minor, static_cast<uint32_t>(SIGHTLINE_PLUGIN_API_MINOR));
    EXPECT_STREQ(d.abi_tag, SIGHTLINE_ABI_TAG);
    EXPECT_STREQ(d.id, "evaluator-columnar");
    EXPECT_STREQ(d.kind, "evaluator");
    EXPECT_NE(std::strstr(d.config_schema, "max_resident_lines"), nullptr);
    ASSERT_NE(d.create, nullptr);
}

TEST(DllLoad, OnlyTheEntryPointIsExported) {
    boost::dll::library_info info(EVALUATOR_COLUMNAR_PLUGIN_PATH);
    EXPECT_EQ(info.symbols(), std::vector<std::string>{"sightline_plugin_v1"});
}

TEST(DllLoad, CreatesAnEvaluatorForEveryDialect) {
    sightline::testing::FakeHost host;
    sp::CreateContext context;
    context.host = &host;
    context.config_json = R"({"max_resident_lines": 0, "persist": true})";
    context.instance_name = "evaluators[0]";
    auto plugin = descriptor().create(context);
    auto* evaluator = dynamic_cast<sp::Evaluator*>(plugin.get());
    ASSERT_NE(evaluator, nullptr);
    for (const char* dialect : {"sqlite", "postgresql", "greenplum", "a-third-party-dialect"})
        EXPECT_TRUE(evaluator->supports(dialect)) << dialect;
    EXPECT_TRUE(evaluator->computes_reports());

    // Through the module's own code.
    FakeData data;
    Line line;
    line.order = "A";
    line.ts = kBase - kDay;
    line.customer = 7;
    line.item = "x";
    line.price = 1'000'000;
    data.load({line});
    auto store = data.open();
    sg::Rule rule;
    rule.kind = sg::RuleKind::purchased;
    sp::EvaluationRequest request;
    request.rule = &rule;
    request.as_of_us = kBase;
    request.tenant = "acme";
    EXPECT_EQ(evaluator->evaluate(request, *store).customers, std::vector<uint64_t>{7});
}

TEST(DllLoad, RefusesABadConfig) {
    sightline::testing::FakeHost host;
    sp::CreateContext context;
    context.host = &host;
    context.config_json = R"({"tenant_max_resident_lines": {"acme": "lots"}})";
    context.instance_name = "evaluators[0]";
    EXPECT_THROW(descriptor().create(context), sp::Error);
}

}  // namespace
}  // namespace sightline::evaluator_columnar::testing
