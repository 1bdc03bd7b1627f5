#include "sightline/core/timestamp.hpp"

#include <cstdio>

namespace sightline::core {

namespace {

constexpr int64_t micros_per_second = 1000000;
constexpr int64_t seconds_per_day = 86400;
constexpr int max_fraction_digits = 6;

constexpr const char* expected_forms =
    "not a timestamp (expected YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS+HH:MM)";

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `width` digits at text[at]; false when any of them is not a digit.
bool read_digits(std::string_view text, size_t at, size_t width, int& value) {
    if (at + width > text.size()) return false;
    value = 0;
    for (size_t i = at; i < at + width; ++i) {
        if (!is_digit(text[i])) return false;
        value = value * 10 + (text[i] - '0');
    }
    return true;
}

bool is_leap(int year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

int days_in_month(int year, int month) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int64_t& y, int& m, int& d) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    y = yoe + era * 400 + (m <= 2);
}

bool fail(std::string& reason, const char* why) {
    reason = why;
    return false;
}

struct Clock {
    int hour = 0, minute = 0, second = 0;
    int64_t micros = 0;
    int offset_seconds = 0;  // local time minus UTC
};

// Parses "THH:MM:SS[.f]" then "Z" or "+HH:MM"/"-HH:MM" at text[10...].
bool parse_time(std::string_view text, Clock& clock, std::string& reason) {
    if (text[10] == ' ') return fail(reason, "date and time must be separated by 'T', not a space");
    if (text.size() < 19 || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
        !read_digits(text, 11, 2, clock.hour) || !read_digits(text, 14, 2, clock.minute) ||
        !read_digits(text, 17, 2, clock.second)) {
        return fail(reason, expected_forms);
    }
    size_t i = 19;
    if (i < text.size() && text[i] == '.') {
        size_t digits = 0;
        for (++i; i < text.size() && is_digit(text[i]); ++i, ++digits) {
            if (digits < max_fraction_digits) clock.micros = clock.micros * 10 + (text[i] - '0');
        }
        if (digits == 0) return fail(reason, expected_forms);
        // Never rounded: a seventh digit is an error even when it is zero.
        if (digits > max_fraction_digits) {
            return fail(reason,
                        "more than 6 digits of fractional seconds (the limit is microseconds)");
        }
        for (size_t d = digits; d < max_fraction_digits; ++d) clock.micros *= 10;
    }
    if (i == text.size()) return fail(reason, "time without a UTC offset (add Z or +HH:MM)");
    if (text[i] == 'Z') {
        ++i;
    } else if (text[i] == '+' || text[i] == '-') {
        int hours = 0, minutes = 0;
        if (!read_digits(text, i + 1, 2, hours) || i + 3 >= text.size() || text[i + 3] != ':' ||
            !read_digits(text, i + 4, 2, minutes)) {
            return fail(reason, expected_forms);
        }
        // RFC 3339 offsets: hours 00-23, minutes 00-59.
        if (hours > 23 || minutes > 59) return fail(reason, "UTC offset out of range");
        clock.offset_seconds = (hours * 60 + minutes) * 60 * (text[i] == '-' ? -1 : 1);
        i += 6;
    } else {
        return fail(reason, expected_forms);
    }
    if (i != text.size()) return fail(reason, expected_forms);
    if (clock.hour > 23) return fail(reason, "hour out of range (00-23)");
    if (clock.minute > 59) return fail(reason, "minute out of range (00-59)");
    if (clock.second > 59) return fail(reason, "second out of range (00-59)");
    return true;
}

}  // namespace

std::optional<int64_t> parse_timestamp(std::string_view text, std::string& reason) {
    int year = 0, month = 0, day = 0;
    if (text.size() < 10 || text[4] != '-' || text[7] != '-' || !read_digits(text, 0, 4, year) ||
        !read_digits(text, 5, 2, month) || !read_digits(text, 8, 2, day)) {
        fail(reason, expected_forms);
        return std::nullopt;
    }
    Clock clock;
    if (text.size() > 10 && !parse_time(text, clock, reason)) return std::nullopt;
    const char* why = nullptr;
    if (year < 1) {
        why = "year out of range (0001-9999)";
    } else if (month < 1 || month > 12) {
        why = "month out of range (01-12)";
    } else if (day < 1 || day > days_in_month(year, month)) {
        why = "no such day in that month";
    }
    if (why) {
        fail(reason, why);
        return std::nullopt;
    }
    const int64_t seconds = days_from_civil(year, month, day) * seconds_per_day +
                            clock.hour * 3600 + clock.minute * 60 + clock.second -
                            clock.offset_seconds;
    // The offset can carry the instant past the years a timestamp may name
    // ("9999-12-31T23:59:59-01:00" is in year 10000 in UTC), where it could not be written back
    // (found by fuzz target numbers).
    static const int64_t first = days_from_civil(1, 1, 1) * seconds_per_day;
    static const int64_t last = (days_from_civil(9999, 12, 31) + 1) * seconds_per_day - 1;
    if (seconds < first || seconds > last) {
        fail(reason, "the instant in UTC is outside the years 0001-9999");
        return std::nullopt;
    }
    return seconds * micros_per_second + clock.micros;
}

std::string format_timestamp(int64_t micros) {
    // Floor division, so that times before 1970 come out right too.
    int64_t seconds = micros / micros_per_second;
    int64_t fraction = micros % micros_per_second;
    if (fraction < 0) {
        fraction += micros_per_second;
        --seconds;
    }
    int64_t days = seconds / seconds_per_day;
    int64_t of_day = seconds % seconds_per_day;
    if (of_day < 0) {
        of_day += seconds_per_day;
        --days;
    }
    int64_t year = 0;
    int month = 0, day = 0;
    civil_from_days(days, year, month, day);
    char buffer[48];
    int n = std::snprintf(buffer, sizeof buffer, "%04lld-%02d-%02dT%02d:%02d:%02d",
                          static_cast<long long>(year), month, day, static_cast<int>(of_day / 3600),
                          static_cast<int>(of_day / 60 % 60), static_cast<int>(of_day % 60));
    if (fraction != 0) {
        n += std::snprintf(buffer + n, sizeof buffer - n, ".%06lld",
                           static_cast<long long>(fraction));
    }
    buffer[n] = 'Z';
    return std::string(buffer, n + 1);
}

}  // namespace sightline::core
