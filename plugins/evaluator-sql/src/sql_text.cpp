#include "sql_text.hpp"

#include <cstdio>

#include "sightline/plugin/segment.hpp"

namespace sightline::evaluator_sql {

namespace {

int64_t floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

struct Civil {
    int64_t year;
    unsigned month, day;
};

// Proleptic Gregorian date of a day count since 1970-01-01, computed in 400-year eras
// (146,097 days each) counted from 0000-03-01 so that the leap day ends each year.
Civil civil_from_days(int64_t days) {
    const int64_t z = days + 719'468;  // days since 0000-03-01
    const int64_t era = floor_div(z, 146'097);
    const int64_t doe = z - era * 146'097;                                         // [0, 146096]
    const int64_t yoe = (doe - doe / 1'460 + doe / 36'524 - doe / 146'096) / 365;  // [0, 399]
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                   // [0, 365]
    const int64_t mp = (5 * doy + 2) / 153;                                        // March = 0
    const unsigned day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
    const unsigned month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
    const int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    return {year, month, day};
}

}  // namespace

std::string pg_timestamptz_text(int64_t us) {
    if (us < kPgMinInstantUs) us = kPgMinInstantUs;
    if (us > kPgMaxInstantUs) us = kPgMaxInstantUs;
    const int64_t days = floor_div(us, plugin::segment::kMicrosPerDay);
    const int64_t in_day = us - days * plugin::segment::kMicrosPerDay;
    const Civil date = civil_from_days(days);
    const int64_t seconds = in_day / 1'000'000;
    const bool bc = date.year <= 0;  // astronomical year 0 is 1 BC
    const long long year = static_cast<long long>(bc ? 1 - date.year : date.year);
    char text[80];
    std::snprintf(text, sizeof text, "%04lld-%02u-%02u %02lld:%02lld:%02lld.%06lld+00%s", year,
                  date.month, date.day, static_cast<long long>(seconds / 3600),
                  static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60),
                  static_cast<long long>(in_day % 1'000'000), bc ? " BC" : "");
    return text;
}

std::string decimal_text(int64_t millionths) {
    const bool negative = millionths < 0;
    const uint64_t magnitude =
        negative ? 0 - static_cast<uint64_t>(millionths) : static_cast<uint64_t>(millionths);
    char text[48];
    std::snprintf(text, sizeof text, "%s%llu.%06llu", negative ? "-" : "",
                  static_cast<unsigned long long>(magnitude / 1'000'000),
                  static_cast<unsigned long long>(magnitude % 1'000'000));
    return text;
}

std::string quote_identifier(const std::string& name) {
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

int64_t code_points(const std::string& utf8) {
    int64_t n = 0;
    for (unsigned char c : utf8) {
        if ((c & 0xC0) != 0x80) ++n;
    }
    return n;
}

}  // namespace sightline::evaluator_sql
