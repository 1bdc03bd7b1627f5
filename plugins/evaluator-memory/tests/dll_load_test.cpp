// The built module, loaded the way the host loads it (RTLD_NOW | RTLD_LOCAL through Boost.DLL).
#include <gtest/gtest.h>

#include <boost/dll/library_info.hpp>
#include <cstring>

#include "sightline/plugin/evaluator.hpp"
#include "sightline/testing/plugin_testing.hpp"
#include "test_support.hpp"

namespace sightline::evaluator_memory::testing {
namespace {

const sl_plugin_descriptor& descriptor() {
    return sightline::testing::load_plugin_module(EVALUATOR_MEMORY_PLUGIN_PATH);
}

TEST(DllLoad, DescriptorIsComplete) {
    const auto& d = descriptor();
    EXPECT_EQ(d.struct_size, sizeof(sl_plugin_descriptor));
    EXPECT_EQ(d.api_major, static_cast<uint32_t>(SIGHTLINE_PLUGIN_API_MAJOR));
    EXPECT_EQ(d.api_minor, static_cast<uint32_t>(SIGHTLINE_PLUGIN_API_MINOR));
    EXPECT_STREQ(d.abi_tag, SIGHTLINE_ABI_TAG);
    EXPECT_STREQ(d.id, "evaluator-memory");
    EXPECT_STREQ(d.kind, "evaluator");
    EXPECT_STREQ(d.license, "Apache-2.0");
    EXPECT_STREQ(d.config_schema, "{}");
    EXPECT_EQ(d.signature, nullptr);
    ASSERT_NE(d.create, nullptr);
}

TEST(DllLoad, OnlyTheEntryPointIsExported) {
    boost::dll::library_info info(EVALUATOR_MEMORY_PLUGIN_PATH);
    EXPECT_EQ(info.symbols(), std::vector<std::string>{"sightline_plugin_v1"});
}

TEST(DllLoad, CreatesAnEvaluatorForEveryBundledDialect) {
    sightline::testing::FakeHost host;
    sp::CreateContext context;
    context.host = &host;
    context.config_json = "{}";
    context.instance_name = "evaluators[0]";
    auto plugin = descriptor().create(context);
    auto* evaluator = dynamic_cast<sp::Evaluator*>(plugin.get());
    ASSERT_NE(evaluator, nullptr);
    EXPECT_TRUE(evaluator->supports("sqlite"));
    EXPECT_TRUE(evaluator->supports("postgresql"));
    EXPECT_TRUE(evaluator->supports("greenplum"));
    EXPECT_TRUE(evaluator->supports("memdb"));  // a third party's: no SQL is needed
    EXPECT_TRUE(evaluator->computes_reports());

    // Through the module's own code, on a real store.
    Data data;
    data.load("s.csv", "order,timestamp,customer,item,price\nA,2026-01-10,7,x,1\n");
    auto store = data.harness().target().open("acme");
    sg::Rule rule = purchased();
    sp::EvaluationRequest request;
    request.rule = &rule;
    request.as_of_us = at("2026-01-31");
    EXPECT_EQ(evaluator->evaluate(request, *store).customers, Ids{7});
}

}  // namespace
}  // namespace sightline::evaluator_memory::testing
