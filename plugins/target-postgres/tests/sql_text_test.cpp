// Text forms without a server: decimals, timestamps, ids, quoting, connection strings, names.
#include <gtest/gtest.h>

#include "conninfo.hpp"
#include "sightline/plugin/api.hpp"
#include "sql_text.hpp"
#include "tenant_names.hpp"

namespace sightline::target_pg {
namespace {

using sightline::plugin::Error;

TEST(SqlText, MillionthsAsCopyText) {
    std::string out;
    append_millionths(out, 0);
    out += ' ';
    append_millionths(out, -1);
    out += ' ';
    append_millionths(out, 12'500'000);
    out += ' ';
    append_millionths(out, INT64_MIN);
    EXPECT_EQ(out, "0.000000 -0.000001 12.500000 -9223372036854.775808");
}

TEST(SqlText, ShortestDecimalForms) {
    EXPECT_EQ(format_millionths(0), "0");
    EXPECT_EQ(format_millionths(12'500'000), "12.5");
    EXPECT_EQ(format_millionths(-1), "-0.000001");
    EXPECT_EQ(format_millionths(-3'000'001), "-3.000001");
    EXPECT_EQ(normalize_decimal("12.500000"), "12.5");
    EXPECT_EQ(normalize_decimal("-0.000000"), "0");
    EXPECT_EQ(normalize_decimal("3.000000"), "3");
    EXPECT_EQ(normalize_decimal(""), "0");
    EXPECT_EQ(normalize_decimal("120"), "120");
}

TEST(SqlText, TimestampsRoundTrip) {
    EXPECT_EQ(timestamp_text(0), "1970-01-01 00:00:00.000000+00");
    EXPECT_EQ(timestamp_text(-1), "1969-12-31 23:59:59.999999+00");
    EXPECT_EQ(timestamp_text(1'700'000'000'123'456), "2023-11-14 22:13:20.123456+00");
    EXPECT_EQ(timestamp_text(-62'135'596'800'000'001), "0001-12-31 23:59:59.999999+00 BC");
    for (int64_t t : {int64_t{0}, int64_t{-1}, int64_t{1'700'000'000'123'456},
                      int64_t{253'402'300'799'999'999}, int64_t{-62'135'596'800'000'001}}) {
        EXPECT_EQ(parse_timestamptz(timestamp_text(t)), t) << t;
    }
    EXPECT_EQ(parse_timestamptz("2026-11-01 10:00:00+00"), 1'793'527'200'000'000);
    EXPECT_EQ(parse_timestamptz("2026-11-01 12:00:00.5+02"), 1'793'527'200'500'000);
    EXPECT_EQ(parse_timestamptz("2026-11-01"), 1'793'491'200'000'000);
    EXPECT_THROW(parse_timestamptz("infinity"), Error);
}

TEST(SqlText, NumericsAndIntegers) {
    EXPECT_EQ(parse_numeric_millionths("2.5"), 2'500'000);
    EXPECT_EQ(parse_numeric_millionths("-0.000001"), -1);
    EXPECT_EQ(parse_numeric_millionths("1.50000000"), 1'500'000);
    EXPECT_THROW(parse_numeric_millionths("1.0000001"), Error);
    EXPECT_THROW(parse_numeric_millionths("99999999999999.0"), Error);
    EXPECT_EQ(parse_integer_bits("-9223372036854775808"), INT64_MIN);
    EXPECT_EQ(static_cast<uint64_t>(parse_integer_bits("18446744073709551615")), UINT64_MAX);
    EXPECT_EQ(static_cast<uint64_t>(parse_integer_bits("9223372036854775808")), 1ULL << 63);
    EXPECT_THROW(parse_integer_bits("18446744073709551616"), Error);
    EXPECT_THROW(parse_integer_bits("1.5"), Error);
}

TEST(SqlText, QuotingAndArrays) {
    EXPECT_EQ(quote_identifier("a\"b"), "\"a\"\"b\"");
    EXPECT_EQ(quote_literal("it's"), "'it''s'");
    EXPECT_EQ(text_array_literal({"a", "b\"c", "d\\e", "x,y{}"}),
              "{\"a\",\"b\\\"c\",\"d\\\\e\",\"x,y{}\"}");
    EXPECT_EQ(uint64_array_literal({0, UINT64_MAX}), "{0,18446744073709551615}");
    EXPECT_EQ(uint64_array_literal({}), "{}");
}

TEST(ConnInfo, TenantLoginKeepsHostAndTls) {
    const Login login{"r", "p'w\\", "db"};
    EXPECT_EQ(connection_string("host=h port=5 user=admin password=x dbname=postgres "
                                "sslmode=verify-full options='-c work_mem=64MB'",
                                &login, 7, "app"),
              "application_name='app' client_encoding='UTF8' connect_timeout='7' dbname='db' "
              "host='h' options='-c work_mem=64MB -c TimeZone=UTC -c DateStyle=ISO' "
              "password='p\\'w\\\\' port='5' sslmode='verify-full' user='r'");
    EXPECT_EQ(
        connection_string("postgresql://admin@h:5/postgres?connect_timeout=3", nullptr, 7, "app"),
        "application_name='app' client_encoding='UTF8' connect_timeout='3' "
        "dbname='postgres' host='h' options='-c TimeZone=UTC -c DateStyle=ISO' port='5' "
        "user='admin'");
}

TEST(ConnInfo, AMalformedDsnDoesNotEchoIt) {
    try {
        connection_string("host=h password='secret", nullptr, 1, "app");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << e.what();
    }
}

TEST(TenantNames, MapsDashesAndChecksLength) {
    EXPECT_EQ(tenant_names("sightline_", "my-shop").database, "sightline_my_shop");
    EXPECT_EQ(tenant_names("sightline_", "my-shop").role, "sightline_my_shop_owner");
    EXPECT_THROW(tenant_names("sightline_", std::string(50, 'a')), Error);
    EXPECT_NO_THROW(tenant_names("sightline_", std::string(47, 'a')));
    EXPECT_THROW(tenant_names("p", "-x"), Error);
    EXPECT_THROW(tenant_names("p", "A"), Error);
}

}  // namespace
}  // namespace sightline::target_pg
