#include "sightline/core/decimal.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace sightline::core {
namespace {

int64_t parse_ok(std::string_view text) {
    std::string reason;
    const std::optional<int64_t> value = parse_decimal(text, reason);
    EXPECT_TRUE(value.has_value()) << "'" << text << "': " << reason;
    return value.value_or(-999);
}

std::string parse_error(std::string_view text) {
    std::string reason;
    const std::optional<int64_t> value = parse_decimal(text, reason);
    EXPECT_FALSE(value.has_value()) << "'" << text << "' parsed as " << value.value_or(0);
    return reason;
}

TEST(Decimal, ParsesIntegersAndFractions) {
    EXPECT_EQ(parse_ok("0"), 0);
    EXPECT_EQ(parse_ok("3"), 3000000);
    EXPECT_EQ(parse_ok("12.5"), 12500000);
    EXPECT_EQ(parse_ok("19.99"), 19990000);
    EXPECT_EQ(parse_ok("0.000001"), 1);
    EXPECT_EQ(parse_ok("123456.654321"), 123456654321);
    EXPECT_EQ(parse_ok("007"), 7000000);
}

TEST(Decimal, ParsesSigns) {
    EXPECT_EQ(parse_ok("+1"), 1000000);
    EXPECT_EQ(parse_ok("-0.5"), -500000);
    EXPECT_EQ(parse_ok("-19.99"), -19990000);
    EXPECT_EQ(parse_ok("-0"), 0);
    EXPECT_EQ(parse_ok("-0.000001"), -1);
}

TEST(Decimal, AcceptsALeadingOrTrailingDot) {
    EXPECT_EQ(parse_ok(".5"), 500000);
    EXPECT_EQ(parse_ok("5."), 5000000);
    EXPECT_EQ(parse_ok("-.25"), -250000);
}

TEST(Decimal, LimitsAreExclusiveOfTenToTheTwelve) {
    EXPECT_EQ(parse_ok("999999999999.999999"), 999999999999999999);
    EXPECT_EQ(parse_ok("-999999999999.999999"), -999999999999999999);
    EXPECT_EQ(parse_ok("000000000000999999999999"), 999999999999000000);
    EXPECT_EQ(parse_error("1000000000000"), "absolute value not below 10^12");
    EXPECT_EQ(parse_error("-1000000000000"), "absolute value not below 10^12");
    EXPECT_EQ(parse_error("99999999999999999999999"), "absolute value not below 10^12");
}

TEST(Decimal, RefusesMoreThanSixDecimalPlacesEvenZeros) {
    EXPECT_EQ(parse_error("0.0000001"), "more than 6 decimal places");
    EXPECT_EQ(parse_error("1.5000000"), "more than 6 decimal places");
    EXPECT_EQ(parse_error("-2.1234567"), "more than 6 decimal places");
}

TEST(Decimal, RefusesEmptyAndLoneSignOrDot) {
    for (const char* text : {"", "+", "-", ".", "+.", "-.", "--1", "+-1"}) {
        EXPECT_EQ(parse_error(text), "not a decimal number") << "'" << text << "'";
    }
}

TEST(Decimal, RefusesExponents) {
    EXPECT_EQ(parse_error("1e5"), "not a decimal number (no exponent allowed)");
    EXPECT_EQ(parse_error("1.5E-3"), "not a decimal number (no exponent allowed)");
}

TEST(Decimal, RefusesSeparatorsAndSpaces) {
    const std::string comma =
        "not a decimal number (the decimal point is '.', and no thousands separators are allowed)";
    EXPECT_EQ(parse_error("1,000"), comma);
    EXPECT_EQ(parse_error("1,000.50"), comma);
    EXPECT_EQ(parse_error("12,5"), comma);
    const std::string spaces = "not a decimal number (no spaces or thousands separators allowed)";
    EXPECT_EQ(parse_error("1 000"), spaces);
    EXPECT_EQ(parse_error(" 1"), spaces);
    EXPECT_EQ(parse_error("1'000"), spaces);
    EXPECT_EQ(parse_error("1_000"), spaces);
}

TEST(Decimal, RefusesOtherText) {
    for (const char* text : {"abc", "1.2.3", "0x10", "1-", "$5", "5$", "NaN", "inf", "1..2", "١"}) {
        EXPECT_EQ(parse_error(text), "not a decimal number") << "'" << text << "'";
    }
}

TEST(Decimal, FormatsShortestExactText) {
    EXPECT_EQ(format_decimal(int64_t{0}), "0");
    EXPECT_EQ(format_decimal(int64_t{3000000}), "3");
    EXPECT_EQ(format_decimal(int64_t{12500000}), "12.5");
    EXPECT_EQ(format_decimal(int64_t{-1}), "-0.000001");
    EXPECT_EQ(format_decimal(int64_t{1}), "0.000001");
    EXPECT_EQ(format_decimal(int64_t{-500000}), "-0.5");
    EXPECT_EQ(format_decimal(int64_t{19990000}), "19.99");
    EXPECT_EQ(format_decimal(int64_t{999999999999999999}), "999999999999.999999");
    EXPECT_EQ(format_decimal(int64_t{100000000}), "100");
}

TEST(Decimal, FormatsInt64Extremes) {
    EXPECT_EQ(format_decimal(std::numeric_limits<int64_t>::max()), "9223372036854.775807");
    EXPECT_EQ(format_decimal(std::numeric_limits<int64_t>::min()), "-9223372036854.775808");
}

TEST(Decimal, FormatsWideSums) {
    // A sum beyond int64: 10^7 lines of 999999999999.999999.
    const __int128 sum = static_cast<__int128>(999999999999999999) * 10000000 + 1;
    EXPECT_EQ(format_decimal(sum), "9999999999999999990.000001");
    EXPECT_EQ(format_decimal(-sum), "-9999999999999999990.000001");
    EXPECT_EQ(format_decimal(static_cast<__int128>(0)), "0");
    const __int128 min = static_cast<__int128>(static_cast<unsigned __int128>(1) << 127);
    EXPECT_EQ(format_decimal(min), "-170141183460469231731687303715884.105728");
}

TEST(Decimal, SumsAreExact) {
    // 0.1 + 0.2 is 0.3 here, unlike in binary floating point.
    __int128 sum = 0;
    for (int i = 0; i < 10; ++i) sum += parse_ok("0.1");
    sum += parse_ok("0.2");
    EXPECT_EQ(format_decimal(sum), "1.2");
}

TEST(Decimal, RoundTrips) {
    for (const char* text :
         {"0", "1", "-1", "0.5", "-0.000001", "123.456789", "999999999999.999999"}) {
        EXPECT_EQ(format_decimal(parse_ok(text)), text);
    }
}

}  // namespace
}  // namespace sightline::core
