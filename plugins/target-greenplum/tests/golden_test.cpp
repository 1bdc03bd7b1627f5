// The Greenplum dialect's generated SQL, pinned by tests/golden/greenplum.sql (regenerate as
// golden_sql.hpp says).
#include "golden_sql.hpp"
#include "greenplum_dialect.hpp"
#include "sightline/testing/plugin_testing.hpp"

namespace sightline::target_pg::testing {
namespace {

TEST(Golden, GreenplumSql) {
    const target_greenplum::GreenplumDialect dialect(target_greenplum::GreenplumOptions{});
    expect_golden(std::string(TARGET_GP_GOLDEN_DIR) + "/greenplum.sql", render_golden_sql(dialect));
}

TEST(Golden, GreenplumOptionsAreChecked) {
    target_greenplum::GreenplumOptions options;
    options.partition_start = "2020-01-02";
    EXPECT_THROW(target_greenplum::check_options(options), sightline::plugin::Error);
    options.partition_start = "2031-01-01";
    EXPECT_THROW(target_greenplum::check_options(options), sightline::plugin::Error);
    options.partition_start = "2020-01-01'; DROP";
    EXPECT_THROW(target_greenplum::check_options(options), sightline::plugin::Error);
}

TEST(DllLoad, GreenplumDescriptor) {
    const auto& d = sightline::testing::load_plugin_module(TARGET_GP_PLUGIN_PATH);
    EXPECT_STREQ(d.id, "target-greenplum");
    const std::string schema = d.config_schema;
    EXPECT_NE(schema.find("\"secret\": true"), std::string::npos);
    EXPECT_NE(schema.find("\"partition_start\""), std::string::npos);
    sightline::testing::FakeHost host;
    sightline::plugin::CreateContext context;
    context.host = &host;
    context.config_json = R"({"admin_dsn": "host=127.0.0.1 port=1"})";
    auto plugin = d.create(context);
    auto* target = dynamic_cast<sightline::plugin::Target*>(plugin.get());
    ASSERT_NE(target, nullptr);
    EXPECT_EQ(target->dialect(), "greenplum");
}

}  // namespace
}  // namespace sightline::target_pg::testing
