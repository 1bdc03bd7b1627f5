#include "sightline/core/decimal.hpp"

#include <algorithm>

namespace sightline::core {

namespace {

constexpr int max_fraction_digits = 6;
constexpr int max_integer_digits = 12;  // |v| < 10^12

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A more helpful reason than "not a decimal number" for the two habits the format forbids.
std::string not_a_decimal(std::string_view text) {
    if (!std::any_of(text.begin(), text.end(), is_digit)) return "not a decimal number";
    if (text.find_first_of("eE") != std::string_view::npos) {
        return "not a decimal number (no exponent allowed)";
    }
    if (text.find(',') != std::string_view::npos) {
        // "1,5" is a decimal comma as often as "1,000" is a thousands separator.
        return "not a decimal number (the decimal point is '.', and no thousands separators are "
               "allowed)";
    }
    if (text.find_first_of("' _") != std::string_view::npos) {
        return "not a decimal number (no spaces or thousands separators allowed)";
    }
    return "not a decimal number";
}

}  // namespace

// Grammar: [+-]? digits* ('.' digits*)? with at least one digit in all. So "5", "+1", "-0.5",
// "0.5", ".5" and "5." are all accepted: each is an unambiguous number that spreadsheets and
// scripting languages write or read, and refusing them would only make exports fail for nothing.
// Leading zeros are accepted ("007" is 7). A lone sign or dot, whitespace, exponents and
// thousands separators are not.
std::optional<int64_t> parse_decimal(std::string_view text, std::string& reason) {
    size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
        negative = text[i] == '-';
        ++i;
    }
    int64_t integer = 0;
    int integer_digits = 0;  // significant digits, leading zeros skipped
    int digits = 0;
    for (; i < text.size() && is_digit(text[i]); ++i, ++digits) {
        if (integer == 0 && text[i] == '0') continue;
        // Stop accumulating once too large; the error is reported after the syntax check.
        if (++integer_digits <= max_integer_digits) integer = integer * 10 + (text[i] - '0');
    }
    int64_t fraction = 0;
    int fraction_digits = 0;
    if (i < text.size() && text[i] == '.') {
        for (++i; i < text.size() && is_digit(text[i]); ++i, ++digits, ++fraction_digits) {
            if (fraction_digits < max_fraction_digits) fraction = fraction * 10 + (text[i] - '0');
        }
    }
    if (i != text.size() || digits == 0) {
        reason = not_a_decimal(text);
        return std::nullopt;
    }
    // Never rounded: a seventh decimal place is an error even when it is zero, as the format says.
    if (fraction_digits > max_fraction_digits) {
        reason = "more than 6 decimal places";
        return std::nullopt;
    }
    if (integer_digits > max_integer_digits) {
        reason = "absolute value not below 10^12";
        return std::nullopt;
    }
    for (int d = fraction_digits; d < max_fraction_digits; ++d) fraction *= 10;
    const int64_t magnitude = integer * decimal_scale + fraction;  // < 10^18: no overflow
    return negative ? -magnitude : magnitude;
}

std::string format_decimal(__int128 millionths) {
    const bool negative = millionths < 0;
    // Unsigned magnitude: negating the most negative __int128 would overflow.
    unsigned __int128 magnitude =
        negative ? ~static_cast<unsigned __int128>(millionths) + 1 : millionths;
    const auto scale = static_cast<unsigned __int128>(decimal_scale);
    unsigned __int128 integer = magnitude / scale;
    auto fraction = static_cast<uint32_t>(magnitude % scale);

    char buffer[64];
    char* end = buffer + sizeof buffer;
    char* p = end;
    if (fraction != 0) {
        int width = max_fraction_digits;
        while (fraction % 10 == 0) {  // shortest form: drop trailing zeros
            fraction /= 10;
            --width;
        }
        for (int d = 0; d < width; ++d, fraction /= 10)
            *--p = static_cast<char>('0' + fraction % 10);
        *--p = '.';
    }
    do {
        *--p = static_cast<char>('0' + static_cast<int>(integer % 10));
        integer /= 10;
    } while (integer != 0);
    if (negative) *--p = '-';
    return std::string(p, end);
}

std::string format_decimal(int64_t millionths) {
    return format_decimal(static_cast<__int128>(millionths));
}

}  // namespace sightline::core
