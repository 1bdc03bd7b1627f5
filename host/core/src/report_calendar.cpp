// The reports' calendar: UTC days, ISO weeks (Monday first) and months, and the periods a
// request covers. Everything in whole days counted from 1970-01-01, so that a day never depends
// on a time zone or on how a database renders dates.
#include <cstdio>
#include <stdexcept>

#include "report_internal.hpp"

namespace sightline::core::report {

namespace {

int64_t floor_div(int64_t a, int64_t b) {
    const int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// 1970-01-01 was a Thursday: day + 3 is a multiple of 7 on Mondays.
int64_t weekday_from_monday(int64_t day) { return ((day + 3) % 7 + 7) % 7; }

// Requests stay within the years the sales format can write (4-digit years).
const int64_t kFirstDay = days_from_civil(1, 1, 1);
const int64_t kEndDay = days_from_civil(10000, 1, 1);
constexpr size_t kMaxPeriods = 1100;

}  // namespace

int64_t day_of(int64_t us) { return floor_div(us, kMicrosPerDay); }

// Days since 1970-01-01 of a proleptic Gregorian date, by 400-year eras counted from 0000-03-01
// (the leap day then ends each year, which keeps the month arithmetic linear).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day) {
    year -= month <= 2 ? 1 : 0;
    const int64_t era = floor_div(year, 400);
    const int64_t year_of_era = year - era * 400;
    const int64_t month_index = month > 2 ? month - 3 : month + 9;  // March = 0
    const int64_t day_of_year = (153 * month_index + 2) / 5 + day - 1;
    const int64_t day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146'097 + day_of_era - 719'468;
}

void civil_from_days(int64_t days, int64_t& year, unsigned& month, unsigned& day) {
    const int64_t z = days + 719'468;
    const int64_t era = floor_div(z, 146'097);
    const int64_t day_of_era = z - era * 146'097;
    const int64_t year_of_era =
        (day_of_era - day_of_era / 1'460 + day_of_era / 36'524 - day_of_era / 146'096) / 365;
    const int64_t day_of_year =
        day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const int64_t month_index = (5 * day_of_year + 2) / 153;
    day = static_cast<unsigned>(day_of_year - (153 * month_index + 2) / 5 + 1);
    month = static_cast<unsigned>(month_index < 10 ? month_index + 3 : month_index - 9);
    year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
}

int64_t period_start(int64_t day, Granularity g) {
    switch (g) {
        case Granularity::day:
            return day;
        case Granularity::week:
            return day - weekday_from_monday(day);
        case Granularity::month: {
            int64_t y = 0;
            unsigned m = 0, d = 0;
            civil_from_days(day, y, m, d);
            return day - (d - 1);
        }
    }
    return day;
}

int64_t next_period(int64_t start, Granularity g) {
    switch (g) {
        case Granularity::day:
            return start + 1;
        case Granularity::week:
            return start + 7;
        case Granularity::month: {
            int64_t y = 0;
            unsigned m = 0, d = 0;
            civil_from_days(start, y, m, d);
            return m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1);
        }
    }
    return start + 1;
}

std::string date_text(int64_t day) {
    int64_t y = 0;
    unsigned m = 0, d = 0;
    civil_from_days(day, y, m, d);
    char text[32];
    std::snprintf(text, sizeof text, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
    return text;
}

std::string period_label(int64_t start, Granularity g) {
    int64_t y = 0;
    unsigned m = 0, d = 0;
    char text[32];
    switch (g) {
        case Granularity::day:
            return date_text(start);
        case Granularity::week: {
            // The ISO week-numbering year is the year of the week's Thursday.
            const int64_t thursday = start + 3;
            civil_from_days(thursday, y, m, d);
            const int64_t week = (thursday - days_from_civil(y, 1, 1)) / 7 + 1;
            std::snprintf(text, sizeof text, "%04lld-W%02lld", static_cast<long long>(y),
                          static_cast<long long>(week));
            return text;
        }
        case Granularity::month:
            civil_from_days(start, y, m, d);
            std::snprintf(text, sizeof text, "%04lld-%02u", static_cast<long long>(y), m);
            return text;
    }
    return date_text(start);
}

std::vector<int64_t> periods(const Request& r) {
    const int64_t last_day = day_of(r.to_us - 1);
    std::vector<int64_t> out;
    for (int64_t p = period_start(day_of(r.from_us), r.granularity); p <= last_day;
         p = next_period(p, r.granularity)) {
        out.push_back(p);
    }
    return out;
}

void validate(const Request& r) {
    if (r.from_us < kFirstDay * kMicrosPerDay || r.to_us > kEndDay * kMicrosPerDay)
        throw std::invalid_argument("from and to must lie between 0001-01-01 and 10000-01-01");
    if (r.from_us >= r.to_us) throw std::invalid_argument("from must be before to");
    if (r.top < 1 || r.top > 100) throw std::invalid_argument("top must be between 1 and 100");
    if (r.active_days < 1 || r.inactive_days > 36500 || r.inactive_days <= r.active_days)
        throw std::invalid_argument(
            "need 1 <= active_days < inactive_days <= 36500 (the profile's limits)");
    // Counted without building the list: a century of days must not allocate first.
    size_t count = 0;
    const int64_t last_day = day_of(r.to_us - 1);
    for (int64_t p = period_start(day_of(r.from_us), r.granularity); p <= last_day;
         p = next_period(p, r.granularity)) {
        if (++count > kMaxPeriods)
            throw std::invalid_argument(std::string("the range has more than 1100 periods of a ") +
                                        to_string(r.granularity) +
                                        " (day: at most about three years)");
    }
}

Granularity parse_granularity(const std::string& text) {
    if (text == "day") return Granularity::day;
    if (text == "week") return Granularity::week;
    if (text == "month") return Granularity::month;
    throw std::invalid_argument("granularity must be day, week or month, not '" + text + "'");
}

const char* to_string(Granularity g) {
    switch (g) {
        case Granularity::day:
            return "day";
        case Granularity::week:
            return "week";
        case Granularity::month:
            return "month";
    }
    return "?";
}

}  // namespace sightline::core::report
