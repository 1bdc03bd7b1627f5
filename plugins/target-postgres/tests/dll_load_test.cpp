// The built module, loaded the way the host loads it.
#include <gtest/gtest.h>

#include <string>

#include "sightline/plugin/target.hpp"
#include "sightline/testing/plugin_testing.hpp"

namespace {

TEST(DllLoad, DescriptorAndCreate) {
    const auto& d = sightline::testing::load_plugin_module(TARGET_PG_PLUGIN_PATH);
    EXPECT_STREQ(d.id, "target-postgres");
    EXPECT_STREQ(d.kind, "target");
    EXPECT_EQ(d.api_minor, static_cast<uint32_t>(SIGHTLINE_PLUGIN_API_MINOR));
    const std::string schema = d.config_schema;
    for (const char* key : {"\"admin_dsn\"", "\"secret\": true", "\"database_prefix\"",
                            "\"secrets_dir\"", "\"connect_timeout_s\""}) {
        EXPECT_NE(schema.find(key), std::string::npos) << key;
    }
    sightline::testing::FakeHost host;
    sightline::plugin::CreateContext context;
    context.host = &host;
    context.instance_name = "target";
    context.config_json = R"({"admin_dsn": "host=127.0.0.1 port=1", "database_prefix": "x_"})";
    auto plugin = d.create(context);  // creating never connects
    auto* target = dynamic_cast<sightline::plugin::Target*>(plugin.get());
    ASSERT_NE(target, nullptr);
    EXPECT_EQ(target->dialect(), "postgresql");

    context.config_json = R"({"database_prefix": "x_"})";
    EXPECT_THROW(d.create(context), sightline::plugin::Error);
}

}  // namespace
