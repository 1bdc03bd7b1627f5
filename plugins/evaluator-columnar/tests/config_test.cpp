// The profile section as the host hands it over (validated, defaults applied; the values of the
// free-form tenant map as strings).
#include <gtest/gtest.h>

#include "config.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::evaluator_columnar {
namespace {

TEST(Config, Defaults) {
    const ColumnarConfig c = parse_config("{}");
    EXPECT_EQ(c.max_resident_lines, 0u);
    EXPECT_TRUE(c.tenant_max_resident_lines.empty());
    EXPECT_TRUE(c.persist);
    EXPECT_EQ(c.limit_for("acme"), 0u);
}

TEST(Config, TenantLimitsReplaceTheGlobalOne) {
    const ColumnarConfig c = parse_config(
        R"({"max_resident_lines": 20000000, "persist": false,
            "tenant_max_resident_lines": {"big": "0", "small": 5}})");
    EXPECT_EQ(c.limit_for("acme"), 20'000'000u);
    EXPECT_EQ(c.limit_for("big"), 0u);
    EXPECT_EQ(c.limit_for("small"), 5u);
    EXPECT_FALSE(c.persist);
}

TEST(Config, BadValuesAreRefused) {
    EXPECT_THROW(parse_config(R"({"max_resident_lines": -1})"), plugin::Error);
    EXPECT_THROW(parse_config(R"({"tenant_max_resident_lines": {"a": "-3"}})"), plugin::Error);
    EXPECT_THROW(parse_config(R"({"tenant_max_resident_lines": {"a": "many"}})"), plugin::Error);
    EXPECT_THROW(parse_config(R"({"tenant_max_resident_lines": ["a"]})"), plugin::Error);
    EXPECT_THROW(parse_config(R"({"persist": "yes"})"), plugin::Error);
    EXPECT_THROW(parse_config("not json"), plugin::Error);
}

}  // namespace
}  // namespace sightline::evaluator_columnar
