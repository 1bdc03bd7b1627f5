#include "sightline/core/timestamp.hpp"

#include <gtest/gtest.h>

namespace sightline::core {
namespace {

constexpr int64_t t_2026_11_29_13_55 = 1795960500000000;  // 2026-11-29T13:55:00Z

int64_t parse_ok(std::string_view text) {
    std::string reason;
    const std::optional<int64_t> value = parse_timestamp(text, reason);
    EXPECT_TRUE(value.has_value()) << "'" << text << "': " << reason;
    return value.value_or(-999);
}

std::string parse_error(std::string_view text) {
    std::string reason;
    const std::optional<int64_t> value = parse_timestamp(text, reason);
    EXPECT_FALSE(value.has_value()) << "'" << text << "' parsed as " << value.value_or(0);
    return reason;
}

const std::string bad_form =
    "not a timestamp (expected YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS+HH:MM)";

TEST(Timestamp, DateIsMidnightUtc) {
    EXPECT_EQ(parse_ok("2026-11-29"), 1795910400000000);
    EXPECT_EQ(parse_ok("1970-01-01"), 0);
    EXPECT_EQ(parse_ok("2024-02-29"), 1709164800000000);
}

TEST(Timestamp, DateTimeInUtc) {
    EXPECT_EQ(parse_ok("2026-11-29T13:55:00Z"), t_2026_11_29_13_55);
    EXPECT_EQ(parse_ok("1970-01-01T00:00:01Z"), 1000000);
}

TEST(Timestamp, OffsetsAreConvertedToUtc) {
    EXPECT_EQ(parse_ok("2026-11-29T15:55:00+02:00"), t_2026_11_29_13_55);
    EXPECT_EQ(parse_ok("2026-11-29T08:25:00-05:30"), t_2026_11_29_13_55);
    EXPECT_EQ(parse_ok("2026-11-29T13:55:00+00:00"), t_2026_11_29_13_55);
    EXPECT_EQ(parse_ok("2026-11-29T13:55:00-00:00"), t_2026_11_29_13_55);
    // Across a day and a year boundary.
    EXPECT_EQ(parse_ok("2026-01-01T00:30:00+01:00"), 1767223800000000);
    EXPECT_EQ(format_timestamp(parse_ok("2026-01-01T00:30:00+01:00")), "2025-12-31T23:30:00Z");
    EXPECT_EQ(parse_ok("2026-11-29T23:59:59+23:59"), parse_ok("2026-11-29T00:00:59Z"));
}

// Found by fuzzing: an offset carried the instant into year 10000 (or year 0) in UTC, which
// could not be written back as a timestamp.
TEST(Timestamp, AnOffsetCannotCarryTheInstantOutOfTheYears0001To9999) {
    const std::string outside = "the instant in UTC is outside the years 0001-9999";
    EXPECT_EQ(parse_error("9999-12-31T23:59:59.9999-23:59"), outside);
    EXPECT_EQ(parse_error("9999-12-31T23:00:00-01:00"), outside);
    EXPECT_EQ(parse_error("0001-01-01T00:00:00+00:01"), outside);
    EXPECT_EQ(format_timestamp(parse_ok("9999-12-31T23:59:59.999999Z")),
              "9999-12-31T23:59:59.999999Z");
    EXPECT_EQ(format_timestamp(parse_ok("9999-12-31T23:59:59+01:00")), "9999-12-31T22:59:59Z");
    EXPECT_EQ(format_timestamp(parse_ok("0001-01-01T00:00:00Z")), "0001-01-01T00:00:00Z");
    EXPECT_EQ(format_timestamp(parse_ok("0001-01-01T00:00:00-00:01")), "0001-01-01T00:01:00Z");
}

TEST(Timestamp, FractionalSecondsUpToMicroseconds) {
    EXPECT_EQ(parse_ok("2026-11-29T13:55:00.5Z"), t_2026_11_29_13_55 + 500000);
    EXPECT_EQ(parse_ok("2026-11-29T13:55:00.123456Z"), t_2026_11_29_13_55 + 123456);
    EXPECT_EQ(parse_ok("2026-11-29T13:55:00.000001Z"), t_2026_11_29_13_55 + 1);
    EXPECT_EQ(parse_ok("2026-11-29T15:55:00.25+02:00"), t_2026_11_29_13_55 + 250000);
}

TEST(Timestamp, MoreThanMicrosecondsIsAnErrorNeverRounded) {
    const std::string reason =
        "more than 6 digits of fractional seconds (the limit is microseconds)";
    EXPECT_EQ(parse_error("2026-11-29T13:55:00.1234567Z"), reason);
    EXPECT_EQ(parse_error("2026-11-29T13:55:00.0000000Z"), reason);
    EXPECT_EQ(parse_error("2026-11-29T13:55:00.999999999+01:00"), reason);
}

TEST(Timestamp, YearRange) {
    EXPECT_EQ(parse_ok("0001-01-01"), -62135596800000000);
    EXPECT_EQ(parse_ok("9999-12-31T23:59:59.999999Z"), 253402300799999999);
    EXPECT_EQ(parse_error("0000-01-01"), "year out of range (0001-9999)");
    EXPECT_EQ(parse_error("10000-01-01"), bad_form);
}

TEST(Timestamp, CalendarChecks) {
    EXPECT_EQ(parse_error("2026-02-30"), "no such day in that month");
    EXPECT_EQ(parse_error("2026-02-29"), "no such day in that month");
    EXPECT_EQ(parse_error("1900-02-29"), "no such day in that month");
    EXPECT_EQ(parse_ok("2000-02-29"), 951782400000000);
    EXPECT_EQ(parse_error("2026-04-31"), "no such day in that month");
    EXPECT_EQ(parse_error("2026-01-00"), "no such day in that month");
    EXPECT_EQ(parse_error("2026-13-01"), "month out of range (01-12)");
    EXPECT_EQ(parse_error("2026-00-01"), "month out of range (01-12)");
    EXPECT_EQ(parse_error("2026-11-29T24:00:00Z"), "hour out of range (00-23)");
    EXPECT_EQ(parse_error("2026-11-29T13:60:00Z"), "minute out of range (00-59)");
    EXPECT_EQ(parse_error("2026-12-31T23:59:60Z"), "second out of range (00-59)");
    EXPECT_EQ(parse_error("2026-11-29T13:55:00+24:00"), "UTC offset out of range");
    EXPECT_EQ(parse_error("2026-11-29T13:55:00+01:60"), "UTC offset out of range");
}

TEST(Timestamp, OnlyTheSpecForms) {
    EXPECT_EQ(parse_error("2026-11-29T13:55:00"), "time without a UTC offset (add Z or +HH:MM)");
    EXPECT_EQ(parse_error("2026-11-29T13:55:00.5"), "time without a UTC offset (add Z or +HH:MM)");
    EXPECT_EQ(parse_error("2026-11-29 13:55:00Z"),
              "date and time must be separated by 'T', not a space");
    for (const char* text : {"",
                             "2026",
                             "2026-11",
                             "2026-1-29",
                             "2026-11-9",
                             "26-11-29",
                             "2026/11/29",
                             "29.11.2026",
                             "2026-11-29T",
                             "2026-11-29Z",
                             "2026-11-29T13:55Z",
                             "2026-11-29T13:55:00z",
                             "2026-11-29t13:55:00Z",
                             "2026-11-29T13:55:00+0200",
                             "2026-11-29T13:55:00+02",
                             "2026-11-29T13:55:00+2:00",
                             "2026-11-29T13:55:00.Z",
                             "2026-11-29T13:55:00Z ",
                             " 2026-11-29",
                             "2026-11-29T13:55:00ZZ",
                             "2026-11-29T1:55:00Z",
                             "+2026-11-29",
                             "2026-11-29T13:55:00+02:00:00",
                             "2026-11-29T13:55:00 +02:00",
                             "１９７０-01-01"}) {
        EXPECT_EQ(parse_error(text), bad_form) << "'" << text << "'";
    }
}

TEST(Timestamp, FormatsUtcWithMicrosecondsOnlyWhenNonZero) {
    EXPECT_EQ(format_timestamp(t_2026_11_29_13_55), "2026-11-29T13:55:00Z");
    EXPECT_EQ(format_timestamp(t_2026_11_29_13_55 + 1), "2026-11-29T13:55:00.000001Z");
    EXPECT_EQ(format_timestamp(t_2026_11_29_13_55 + 500000), "2026-11-29T13:55:00.500000Z");
    EXPECT_EQ(format_timestamp(0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(format_timestamp(-1), "1969-12-31T23:59:59.999999Z");
    EXPECT_EQ(format_timestamp(-62135596800000000), "0001-01-01T00:00:00Z");
    EXPECT_EQ(format_timestamp(253402300799999999), "9999-12-31T23:59:59.999999Z");
}

TEST(Timestamp, RoundTrips) {
    for (const char* text : {"2026-11-29T13:55:00Z", "2024-02-29T00:00:00.000001Z",
                             "1900-03-01T12:00:00Z", "0001-01-01T00:00:00Z"}) {
        EXPECT_EQ(format_timestamp(parse_ok(text)), text);
    }
}

}  // namespace
}  // namespace sightline::core
