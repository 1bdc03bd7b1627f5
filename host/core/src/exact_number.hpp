// A number from a definition's text, exactly: digits x 10^exponent. The segment language reads
// numbers as exact decimals, never through binary floating point.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sightline::core {

struct ExactNumber {
    bool negative = false;
    std::string digits;  // no leading zeros; "0" for zero
    int exponent = 0;    // value = digits x 10^exponent

    // nullopt unless text is a JSON number (an exponent beyond +-1000 is refused too).
    static std::optional<ExactNumber> parse(std::string_view text);

    bool is_zero() const { return digits == "0"; }
    bool is_integer() const;
    // The value as int64 when it is an integer in range.
    std::optional<int64_t> to_int64() const;
    // value x 10^6 rounded down (floor) or up (ceil), saturated to the int64 range; exact tells
    // whether no rounding happened.
    int64_t millionths_floor(bool* exact = nullptr) const;
    int64_t millionths_ceil(bool* exact = nullptr) const;
    int compare(const ExactNumber& other) const;  // -1, 0, 1
};

}  // namespace sightline::core
