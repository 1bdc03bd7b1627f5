// Exact decimals as the sales format defines them: optional sign, digits, optional '.' and at
// most 6 fraction digits, |v| < 10^12. Stored as int64 millionths; sums as __int128.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sightline::core {

constexpr int64_t decimal_scale = 1000000;  // millionths

// Parse a decimal cell (already trimmed). On failure returns nullopt and sets reason
// (e.g. "more than 6 decimal places", "not a decimal number", "absolute value not below 10^12").
std::optional<int64_t> parse_decimal(std::string_view text, std::string& reason);

// Shortest exact text: 12.5, -0.000001, 3 (no trailing zeros, no exponent).
std::string format_decimal(int64_t millionths);
std::string format_decimal(__int128 millionths);

}  // namespace sightline::core
