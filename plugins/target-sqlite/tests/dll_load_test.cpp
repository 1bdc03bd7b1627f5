// The built module, loaded the way the host loads it (RTLD_NOW | RTLD_LOCAL through Boost.DLL).
#include <gtest/gtest.h>

#include <boost/dll/library_info.hpp>
#include <cstring>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace sightline::target_sqlite::testing {
namespace {

// Loaded the way the host loads it, and kept resident as the host does (SDK helper).
const sl_plugin_descriptor& load_descriptor() {
    return sightline::testing::load_plugin_module(TARGET_SQLITE_PLUGIN_PATH);
}

TEST(DllLoad, DescriptorIsComplete) {
    const auto& d = load_descriptor();
    EXPECT_EQ(d.struct_size, sizeof(sl_plugin_descriptor));
    EXPECT_EQ(d.api_major, static_cast<uint32_t>(SIGHTLINE_PLUGIN_API_MAJOR));
    EXPECT_EQ(d.api_minor, static_cast<uint32_t>(SIGHTLINE_PLUGIN_API_MINOR));
    EXPECT_STREQ(d.abi_tag, SIGHTLINE_ABI_TAG);
    EXPECT_STREQ(d.id, "target-sqlite");
    EXPECT_STREQ(d.kind, "target");
    EXPECT_STREQ(d.version, "0.1.0");
    EXPECT_STREQ(d.license, "Apache-2.0");
    EXPECT_GT(std::strlen(d.description), 10u);
    EXPECT_EQ(d.signature, nullptr);
    ASSERT_NE(d.create, nullptr);

    const auto schema = nlohmann::json::parse(d.config_schema);
    ASSERT_TRUE(schema.is_object());
    EXPECT_TRUE(schema.at("dir").at("required").get<bool>());
    EXPECT_EQ(schema.at("synchronous").at("default"), "normal");
    for (const auto& [key, spec] : schema.items()) {
        EXPECT_TRUE(spec.contains("type")) << key;
        EXPECT_TRUE(spec.contains("description")) << key;
    }
}

TEST(DllLoad, OnlyTheEntryPointIsExported) {
    // Read from the file, without running it: what `sightline plugins inspect` relies on.
    boost::dll::library_info info(TARGET_SQLITE_PLUGIN_PATH);
    EXPECT_EQ(info.symbols("boostdll"), std::vector<std::string>{"sightline_plugin_v1"});
    EXPECT_EQ(info.symbols(), std::vector<std::string>{"sightline_plugin_v1"});
}

TEST(DllLoad, CreatesAWorkingTarget) {
    const auto& d = load_descriptor();
    TempDir dir;
    FakeHost host;
    sp::CreateContext context;
    context.host = &host;
    context.config_json = nlohmann::json{
        {"dir", dir.path() + "/tenants"},
        {"synchronous", "normal"},
        {"busy_timeout_ms", 1000},
        {"cache_size_mib",
         16}}.dump();
    context.instance_name = "target";
    std::unique_ptr<sp::Plugin> plugin = d.create(context);
    auto* target = dynamic_cast<sp::Target*>(plugin.get());
    ASSERT_NE(target, nullptr);
    EXPECT_EQ(target->dialect(), "sqlite");
    {
        auto store = target->open("acme");
        load_sales(*store, {SaleLine{}});
        EXPECT_EQ(store->stats().revenue, "10");
        EXPECT_THROW(target->open("../etc"), sp::Error);
    }
    EXPECT_EQ(host.events(), std::vector<std::string>{"target.tenant_database_created"});
    plugin.reset();  // before the library goes away
}

TEST(DllLoad, CreateReportsBadConfigAsError) {
    const auto& d = load_descriptor();
    sp::CreateContext context;
    context.instance_name = "target";
    for (const char* config :
         {"{}", "not json", "[]", R"({"dir": 5})", R"({"dir": "/tmp/x", "synchronous": "off"})",
          R"({"dir": "/tmp/x", "busy_timeout_ms": -1})"}) {
        context.config_json = config;
        try {
            d.create(context);
            ADD_FAILURE() << "accepted " << config;
        } catch (const sp::Error& e) {
            EXPECT_NE(std::string(e.what()).find("target-sqlite (target)"), std::string::npos)
                << e.what();
        }
    }
    context.config_json = R"({"dir": "/proc/no/such/place"})";
    EXPECT_THROW(d.create(context), sp::Error);
}

}  // namespace
}  // namespace sightline::target_sqlite::testing
