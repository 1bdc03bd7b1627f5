#include "exact_number.hpp"

#include <cctype>
#include <limits>

namespace sightline::core {

namespace {

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

// Magnitude digits x 10^shift, truncated towards zero, as unsigned; nullopt on overflow.
// remainder tells whether nonzero digits were cut off.
std::optional<uint64_t> scaled_magnitude(const std::string& digits, int shift, bool& remainder) {
    remainder = false;
    std::string integral = digits;
    if (shift >= 0) {
        if (digits == "0") return 0;
        if (shift > 40) return std::nullopt;
        integral.append(static_cast<size_t>(shift), '0');
    } else {
        const size_t cut = static_cast<size_t>(-static_cast<int64_t>(shift));
        if (cut >= integral.size()) {
            remainder = digits != "0";
            return 0;
        }
        for (size_t i = integral.size() - cut; i < integral.size(); ++i)
            remainder = remainder || integral[i] != '0';
        integral.resize(integral.size() - cut);
    }
    if (integral.size() > 20) return std::nullopt;
    uint64_t value = 0;
    for (char c : integral) {
        const uint64_t d = static_cast<uint64_t>(c - '0');
        if (value > (std::numeric_limits<uint64_t>::max() - d) / 10) return std::nullopt;
        value = value * 10 + d;
    }
    return value;
}

// Signed result of magnitude m with rounding direction; saturates.
int64_t saturate(bool negative, std::optional<uint64_t> m, bool remainder, bool round_up) {
    constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    if (!negative) {
        if (!m || *m > kMax) return std::numeric_limits<int64_t>::max();
        int64_t v = static_cast<int64_t>(*m);
        if (remainder && round_up && v < std::numeric_limits<int64_t>::max()) ++v;
        return v;
    }
    if (!m || *m > kMax) return std::numeric_limits<int64_t>::min();
    int64_t v = -static_cast<int64_t>(*m);
    if (remainder && !round_up) --v;  // floor of a negative non-integer goes further down
    return v;
}

}  // namespace

std::optional<ExactNumber> ExactNumber::parse(std::string_view text) {
    ExactNumber n;
    if (!text.empty() && text[0] == '-') {
        n.negative = true;
        text.remove_prefix(1);
    }
    std::string_view mantissa = text, exponent;
    const auto e = text.find_first_of("eE");
    if (e != std::string_view::npos) {
        mantissa = text.substr(0, e);
        exponent = text.substr(e + 1);
        bool exp_negative = false;
        if (!exponent.empty() && (exponent[0] == '+' || exponent[0] == '-')) {
            exp_negative = exponent[0] == '-';
            exponent.remove_prefix(1);
        }
        if (!all_digits(exponent) || exponent.size() > 4) return std::nullopt;
        n.exponent = std::stoi(std::string(exponent)) * (exp_negative ? -1 : 1);
        if (n.exponent > 1000 || n.exponent < -1000) return std::nullopt;
    }
    std::string_view integral = mantissa, fraction;
    const auto dot = mantissa.find('.');
    if (dot != std::string_view::npos) {
        integral = mantissa.substr(0, dot);
        fraction = mantissa.substr(dot + 1);
        if (!all_digits(fraction)) return std::nullopt;
    }
    if (!all_digits(integral)) return std::nullopt;
    if (integral.size() > 1 && integral[0] == '0') return std::nullopt;  // JSON: no leading 0
    std::string digits = std::string(integral) + std::string(fraction);
    n.exponent -= static_cast<int>(fraction.size());
    // Canonical: no leading zeros, no trailing zeros (moved into the exponent).
    const auto first = digits.find_first_not_of('0');
    if (first == std::string::npos) {
        n.digits = "0";
        n.exponent = 0;
        n.negative = false;
        return n;
    }
    digits.erase(0, first);
    while (digits.size() > 1 && digits.back() == '0') {
        digits.pop_back();
        ++n.exponent;
    }
    n.digits = std::move(digits);
    return n;
}

bool ExactNumber::is_integer() const { return exponent >= 0 || is_zero(); }

std::optional<int64_t> ExactNumber::to_int64() const {
    if (!is_integer()) return std::nullopt;
    bool remainder = false;
    const auto m = scaled_magnitude(digits, exponent, remainder);
    if (!m) return std::nullopt;
    constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    if (!negative) {
        if (*m > kMax) return std::nullopt;
        return static_cast<int64_t>(*m);
    }
    if (*m > kMax + 1) return std::nullopt;
    return *m == kMax + 1 ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(*m);
}

int64_t ExactNumber::millionths_floor(bool* exact) const {
    bool remainder = false;
    const auto m = scaled_magnitude(digits, exponent + 6, remainder);
    if (exact) *exact = !remainder && m.has_value();
    return saturate(negative, m, remainder, false);
}

int64_t ExactNumber::millionths_ceil(bool* exact) const {
    bool remainder = false;
    const auto m = scaled_magnitude(digits, exponent + 6, remainder);
    if (exact) *exact = !remainder && m.has_value();
    return saturate(negative, m, remainder, true);
}

int ExactNumber::compare(const ExactNumber& other) const {
    if (is_zero() && other.is_zero()) return 0;
    const int sign = is_zero() ? 0 : (negative ? -1 : 1);
    const int other_sign = other.is_zero() ? 0 : (other.negative ? -1 : 1);
    if (sign != other_sign) return sign < other_sign ? -1 : 1;
    // Same sign, both nonzero: compare magnitudes by order of magnitude, then digits.
    const int64_t magnitude = static_cast<int64_t>(digits.size()) + exponent;
    const int64_t other_magnitude = static_cast<int64_t>(other.digits.size()) + other.exponent;
    int cmp = 0;
    if (magnitude != other_magnitude) {
        cmp = magnitude < other_magnitude ? -1 : 1;
    } else {
        const size_t n = std::max(digits.size(), other.digits.size());
        for (size_t i = 0; i < n && cmp == 0; ++i) {
            const char a = i < digits.size() ? digits[i] : '0';
            const char b = i < other.digits.size() ? other.digits[i] : '0';
            if (a != b) cmp = a < b ? -1 : 1;
        }
    }
    return negative ? -cmp : cmp;
}

}  // namespace sightline::core
