#pragma once

#include <cstddef>
#include <string_view>

namespace sightline::core {

// True when text is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool valid_utf8(std::string_view text);

// Number of code points in well-formed UTF-8 text.
size_t utf8_length(std::string_view text);

}  // namespace sightline::core
