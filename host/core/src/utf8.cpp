#include "sightline/core/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace sightline::core {

namespace {

constexpr uint64_t high_bits = 0x8080808080808080ULL;

bool continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the well-formed sequence starting at s[0] (a non-ASCII byte), or 0 when it is not
// well-formed. Ranges from the Unicode standard, table 3-7: this excludes overlong forms,
// surrogates (ED A0..BF) and anything above U+10FFFF (F4 90.. and F5..FF).
size_t sequence_length(const unsigned char* s, size_t left) {
    const unsigned char c = s[0];
    unsigned char lo = 0x80, hi = 0xBF;
    size_t length = 0;
    if (c >= 0xC2 && c <= 0xDF) {
        length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        length = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        length = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (left < length || s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < length; ++i) {
        if (!continuation(s[i])) return 0;
    }
    return length;
}

}  // namespace

bool valid_utf8(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    size_t i = 0;
    const size_t n = text.size();
    while (i < n) {
        // Almost all sales data is ASCII: check eight bytes at a time.
        if (n - i >= 8) {
            uint64_t word;
            std::memcpy(&word, s + i, 8);
            if ((word & high_bits) == 0) {
                i += 8;
                continue;
            }
        }
        if (s[i] < 0x80) {
            ++i;
            continue;
        }
        const size_t length = sequence_length(s + i, n - i);
        if (length == 0) return false;
        i += length;
    }
    return true;
}

size_t utf8_length(std::string_view text) {
    size_t count = 0;
    for (const char c : text) {
        if (!continuation(static_cast<unsigned char>(c))) ++count;
    }
    return count;
}

}  // namespace sightline::core
