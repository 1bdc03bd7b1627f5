// The built module, loaded the way the host loads it (RTLD_NOW | RTLD_LOCAL through Boost.DLL).
#include <string>
#include <vector>

#include <boost/dll/library_info.hpp>
#include <cstring>

#include "fixture.hpp"
#include "sightline/testing/plugin_testing.hpp"

namespace sightline::evaluator_sql::testing {
namespace {

TEST(DllLoad, DescriptorIsComplete) {
    const auto& d = sightline::testing::load_plugin_module(EVALUATOR_SQL_PLUGIN_PATH);
    EXPECT_EQ(d.struct_size, sizeof(sl_plugin_descriptor));
    EXPECT_EQ(d.api_major, static_cast<uint32_t>(SIGHTLINE_PLUGIN_API_MAJOR));
    EXPECT_EQ(d.api_minor, static_cast<uint32_t>(SIGHTLINE_PLUGIN_API_MINOR));
    EXPECT_STREQ(d.abi_tag, SIGHTLINE_ABI_TAG);
    EXPECT_STREQ(d.id, "evaluator-sql");
    EXPECT_STREQ(d.kind, "evaluator");
    EXPECT_STREQ(d.config_schema, "{}");
    ASSERT_NE(d.create, nullptr);
}

TEST(DllLoad, OnlyTheEntryPointIsExported) {
    boost::dll::library_info info(EVALUATOR_SQL_PLUGIN_PATH);
    EXPECT_EQ(info.symbols(), std::vector<std::string>{"sightline_plugin_v1"});
}

TEST(DllLoad, CreatesAnEvaluatorForEveryDialect) {
    const auto& d = sightline::testing::load_plugin_module(EVALUATOR_SQL_PLUGIN_PATH);
    sightline::testing::FakeHost host;
    sp::CreateContext context;
    context.host = &host;
    context.config_json = "{}";
    context.instance_name = "evaluators[0]";
    auto plugin = d.create(context);
    auto* evaluator = dynamic_cast<sp::Evaluator*>(plugin.get());
    ASSERT_NE(evaluator, nullptr);
    EXPECT_TRUE(evaluator->supports("sqlite"));
    EXPECT_TRUE(evaluator->supports("postgresql"));
    EXPECT_TRUE(evaluator->supports("greenplum"));
    EXPECT_FALSE(evaluator->supports("mysql"));
}

}  // namespace
}  // namespace sightline::evaluator_sql::testing
