#include "sql_text.hpp"

#include <algorithm>
#include <limits>

#include "sightline/plugin/api.hpp"

namespace sightline::target_pg {

using sightline::plugin::Error;

namespace {

__extension__ typedef unsigned __int128 uint128;

constexpr int64_t kMicrosPerDay = 86'400'000'000;

// Howard Hinnant's days_from_civil / civil_from_days: exact proleptic Gregorian calendar.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
}

void append_digits(std::string& out, uint64_t value, int width) {
    char buffer[24];
    int n = 0;
    do {
        buffer[n++] = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value != 0);
    for (int pad = n; pad < width; ++pad) out.push_back('0');
    while (n > 0) out.push_back(buffer[--n]);
}

[[noreturn]] void bad_text(const char* what, std::string_view text) {
    throw Error(std::string("cannot read '") + std::string(text.substr(0, 64)) + "' as " + what);
}

// Reads exactly `count` digits at pos.
unsigned fixed_digits(std::string_view text, size_t& pos, size_t count, const char* what) {
    unsigned value = 0;
    for (size_t i = 0; i < count; ++i, ++pos) {
        if (pos >= text.size() || text[pos] < '0' || text[pos] > '9') bad_text(what, text);
        value = value * 10 + static_cast<unsigned>(text[pos] - '0');
    }
    return value;
}

void expect(std::string_view text, size_t& pos, char c, const char* what) {
    if (pos >= text.size() || text[pos] != c) bad_text(what, text);
    ++pos;
}

}  // namespace

std::string quote_identifier(std::string_view name) {
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

std::string quote_literal(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') out.push_back('\'');
        out.push_back(c);
    }
    out.push_back('\'');
    return out;
}

std::string format_millionths(int128 millionths) {
    const bool negative = millionths < 0;
    uint128 magnitude =
        negative ? -static_cast<uint128>(millionths) : static_cast<uint128>(millionths);
    auto fraction = static_cast<unsigned>(magnitude % 1000000);
    magnitude /= 1000000;
    std::string out;
    do {
        out.push_back(static_cast<char>('0' + static_cast<int>(magnitude % 10)));
        magnitude /= 10;
    } while (magnitude != 0);
    if (negative) out.push_back('-');
    std::reverse(out.begin(), out.end());
    if (fraction != 0) {
        int length = 6;
        while (fraction % 10 == 0) {
            fraction /= 10;
            --length;
        }
        out.push_back('.');
        append_digits(out, fraction, length);
    }
    return out;
}

std::string normalize_decimal(std::string_view text) {
    if (text.empty()) return "0";
    std::string out(text);
    if (out.find('.') != std::string::npos) {
        while (out.back() == '0') out.pop_back();
        if (out.back() == '.') out.pop_back();
    }
    if (out == "-0") out = "0";
    return out;
}

void append_millionths(std::string& out, int64_t millionths) {
    uint64_t magnitude = static_cast<uint64_t>(millionths);
    if (millionths < 0) {
        out.push_back('-');
        magnitude = 0 - magnitude;
    }
    append_digits(out, magnitude / 1000000, 1);
    out.push_back('.');
    append_digits(out, magnitude % 1000000, 6);
}

void append_timestamp(std::string& out, int64_t micros) {
    // Floor division: instants before 1970 still get a non-negative time of day.
    int64_t days = micros / kMicrosPerDay;
    int64_t rest = micros % kMicrosPerDay;
    if (rest < 0) {
        rest += kMicrosPerDay;
        --days;
    }
    int64_t year;
    unsigned month, day;
    civil_from_days(days, year, month, day);
    const bool bc = year <= 0;  // astronomical year 0 is 1 BC
    append_digits(out, static_cast<uint64_t>(bc ? 1 - year : year), 4);
    out.push_back('-');
    append_digits(out, month, 2);
    out.push_back('-');
    append_digits(out, day, 2);
    out.push_back(' ');
    const auto seconds = static_cast<uint64_t>(rest / 1000000);
    append_digits(out, seconds / 3600, 2);
    out.push_back(':');
    append_digits(out, seconds / 60 % 60, 2);
    out.push_back(':');
    append_digits(out, seconds % 60, 2);
    out.push_back('.');
    append_digits(out, static_cast<uint64_t>(rest % 1000000), 6);
    out.append("+00");
    if (bc) out.append(" BC");
}

void append_uint64(std::string& out, uint64_t value) { append_digits(out, value, 1); }

void append_int64(std::string& out, int64_t value) {
    uint64_t magnitude = static_cast<uint64_t>(value);
    if (value < 0) {
        out.push_back('-');
        magnitude = 0 - magnitude;
    }
    append_digits(out, magnitude, 1);
}

std::string timestamp_text(int64_t micros) {
    std::string out;
    append_timestamp(out, micros);
    return out;
}

int64_t parse_timestamptz(std::string_view text) {
    constexpr const char* what = "a timestamp with time zone";
    size_t pos = 0;
    size_t year_digits = 0;
    while (year_digits < text.size() && text[year_digits] >= '0' && text[year_digits] <= '9') {
        ++year_digits;
    }
    if (year_digits < 4 || year_digits > 6) bad_text(what, text);
    int64_t year = fixed_digits(text, pos, year_digits, what);
    expect(text, pos, '-', what);
    const unsigned month = fixed_digits(text, pos, 2, what);
    expect(text, pos, '-', what);
    const unsigned day = fixed_digits(text, pos, 2, what);
    int64_t micros = 0;
    if (pos < text.size() && text[pos] == ' ') {
        ++pos;
        const unsigned h = fixed_digits(text, pos, 2, what);
        expect(text, pos, ':', what);
        const unsigned mi = fixed_digits(text, pos, 2, what);
        expect(text, pos, ':', what);
        const unsigned s = fixed_digits(text, pos, 2, what);
        micros = (static_cast<int64_t>(h) * 3600 + mi * 60 + s) * 1000000;
        if (pos < text.size() && text[pos] == '.') {
            ++pos;
            int64_t scale = 100000;
            while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
                if (scale == 0) bad_text(what, text);
                micros += (text[pos++] - '0') * scale;
                scale /= 10;
            }
        }
    }
    // The zone: +HH[:MM[:SS]] or -HH..., UTC when TimeZone=UTC; kept general.
    int64_t offset_seconds = 0;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        const int sign = text[pos] == '-' ? -1 : 1;
        ++pos;
        int64_t seconds = fixed_digits(text, pos, 2, what) * 3600;
        if (pos < text.size() && text[pos] == ':') {
            ++pos;
            seconds += fixed_digits(text, pos, 2, what) * 60;
            if (pos < text.size() && text[pos] == ':') {
                ++pos;
                seconds += fixed_digits(text, pos, 2, what);
            }
        }
        offset_seconds = sign * seconds;
    }
    if (text.substr(pos) == " BC") {
        year = 1 - year;
        pos = text.size();
    }
    if (pos != text.size() || month < 1 || month > 12 || day < 1 || day > 31) {
        bad_text(what, text);
    }
    return days_from_civil(year, month, day) * kMicrosPerDay + micros - offset_seconds * 1000000;
}

int64_t parse_numeric_millionths(std::string_view text) {
    constexpr const char* what = "an exact decimal of at most 6 decimal places";
    size_t pos = 0;
    const bool negative = !text.empty() && text[0] == '-';
    if (negative) ++pos;
    uint128 value = 0;
    size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        value = value * 10 + static_cast<unsigned>(text[pos++] - '0');
        if (++digits > 20) bad_text(what, text);
    }
    if (digits == 0) bad_text(what, text);
    value *= 1000000;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        uint64_t scale = 100000;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            const unsigned digit = static_cast<unsigned>(text[pos++] - '0');
            if (scale == 0) {
                if (digit != 0) bad_text(what, text);  // not a whole number of millionths
                continue;
            }
            value += digit * scale;
            scale /= 10;
        }
    }
    if (pos != text.size()) bad_text(what, text);
    const uint128 limit = static_cast<uint128>(std::numeric_limits<int64_t>::max()) + negative;
    if (value > limit) bad_text(what, text);
    return negative ? static_cast<int64_t>(0 - static_cast<uint64_t>(value))
                    : static_cast<int64_t>(value);
}

int64_t parse_integer_bits(std::string_view text) {
    if (!text.empty() && text[0] == '-') {
        const uint64_t magnitude = parse_uint64(text.substr(1));
        if (magnitude > uint64_t{1} << 63) bad_text("a 64-bit integer", text);
        return static_cast<int64_t>(0 - magnitude);
    }
    return static_cast<int64_t>(parse_uint64(text));
}

uint64_t parse_uint64(std::string_view text) {
    if (text.empty() || text.size() > 20) bad_text("an unsigned 64-bit integer", text);
    uint128 value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') bad_text("an unsigned 64-bit integer", text);
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value > std::numeric_limits<uint64_t>::max()) bad_text("an unsigned 64-bit integer", text);
    return static_cast<uint64_t>(value);
}

std::string text_array_literal(const std::vector<std::string>& values) {
    std::string out = "{";
    for (size_t i = 0; i < values.size(); ++i) {
        if (i) out.push_back(',');
        out.push_back('"');
        for (char c : values[i]) {
            if (c == '"' || c == '\\') out.push_back('\\');
            out.push_back(c);
        }
        out.push_back('"');
    }
    out.push_back('}');
    return out;
}

std::string uint64_array_literal(const std::vector<uint64_t>& values) {
    std::string out = "{";
    for (size_t i = 0; i < values.size(); ++i) {
        if (i) out.push_back(',');
        append_uint64(out, values[i]);
    }
    out.push_back('}');
    return out;
}

}  // namespace sightline::target_pg
