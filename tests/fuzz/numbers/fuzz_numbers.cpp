// Fuzzes the number and time parsers of the sales format and the segment language:
// parse_decimal, ExactNumber::parse and parse_timestamp. Besides "no crash, no undefined
// behaviour", each checks the properties the rest of the code relies on:
// - a parsed value printed and parsed again is the same value (decimals, timestamps,
//   exact numbers);
// - a cell both parsers accept has the same value in both (decimal millionths == the exact
//   number's millionths, with no rounding);
// - comparing exact numbers is antisymmetric and floor <= ceil.
// The input is split at its first newline: the first part is parsed by every parser, the second
// is the other side of a comparison.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "exact_number.hpp"
#include "fuzz_check.hpp"
#include "sightline/core/decimal.hpp"
#include "sightline/core/timestamp.hpp"

using namespace sightline::core;

namespace {

std::string exact_text(const ExactNumber& n) {
    return (n.negative ? "-" : "") + n.digits + "e" + std::to_string(n.exponent);
}

void check_decimal(std::string_view text) {
    std::string reason;
    const auto value = parse_decimal(text, reason);
    if (!value) {
        FUZZ_CHECK(!reason.empty());
        return;
    }
    FUZZ_CHECK(*value<1000000000000LL * decimal_scale&& * value> - 1000000000000LL * decimal_scale);
    const std::string printed = format_decimal(*value);
    const auto again = parse_decimal(printed, reason);
    FUZZ_CHECK(again && *again == *value);
    FUZZ_CHECK(format_decimal(*again) == printed);
    // The segment language reads the same text exactly; where it accepts it, it agrees.
    if (const auto exact = ExactNumber::parse(text)) {
        bool is_exact = false;
        FUZZ_CHECK(exact->millionths_floor(&is_exact) == *value);
        FUZZ_CHECK(is_exact);
        FUZZ_CHECK(exact->millionths_ceil() == *value);
    }
}

void check_timestamp(std::string_view text) {
    std::string reason;
    const auto micros = parse_timestamp(text, reason);
    if (!micros) {
        FUZZ_CHECK(!reason.empty());
        return;
    }
    const std::string printed = format_timestamp(*micros);
    const auto again = parse_timestamp(printed, reason);
    FUZZ_CHECK(again && *again == *micros);
    FUZZ_CHECK(format_timestamp(*again) == printed);
}

void check_exact(std::string_view text, std::string_view other_text) {
    const auto n = ExactNumber::parse(text);
    if (!n) return;
    FUZZ_CHECK(!n->digits.empty());
    // The limit of +-1000 applies to the exponent as written; the canonical one can go beyond
    // it ("1.5e-1000" is 15e-1001), and then it cannot be written back in that form.
    if (n->exponent >= -1000 && n->exponent <= 1000) {
        const auto again = ExactNumber::parse(exact_text(*n));
        FUZZ_CHECK(again && again->negative == n->negative && again->digits == n->digits &&
                   again->exponent == n->exponent && again->compare(*n) == 0);
    }
    bool floor_exact = false, ceil_exact = false;
    const int64_t floor = n->millionths_floor(&floor_exact);
    const int64_t ceil = n->millionths_ceil(&ceil_exact);
    FUZZ_CHECK(floor <= ceil);
    FUZZ_CHECK(floor_exact == ceil_exact);
    if (floor_exact) FUZZ_CHECK(floor == ceil);
    if (const auto i = n->to_int64()) FUZZ_CHECK(n->is_integer());
    if (const auto other = ExactNumber::parse(other_text)) {
        FUZZ_CHECK(n->compare(*other) == -other->compare(*n));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto newline = input.find('\n');
    const std::string_view first = input.substr(0, newline);
    const std::string_view second =
        newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
    check_decimal(first);
    check_timestamp(first);
    check_exact(first, second);
    // Any stored timestamp can be printed (reports and snapshots print what they read).
    if (size >= 8) {
        int64_t micros = 0;
        std::memcpy(&micros, data, sizeof micros);
        (void)format_timestamp(micros);
    }
    return 0;
}
