// JSON that comes from outside the process (API bodies, console logins, definitions, files):
// every such document is parsed through here, so its nesting has one bound. Code that walks a
// parsed tree may then recurse: the depth an outsider can set stops at kMaxNestingDepth.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace sightline::core {

// Objects and arrays inside one another, counting the outermost as 1. A segment definition
// needs about 20; anything deeper is an attack or a mistake.
inline constexpr size_t kMaxNestingDepth = 64;

class JsonInputError : public std::runtime_error {
public:
    JsonInputError(const std::string& reason, size_t byte)
        : std::runtime_error(reason), byte_(byte) {}
    size_t byte() const { return byte_; }  // where the parser stopped (1-based; 0 if unknown)

private:
    size_t byte_;
};

std::string nesting_too_deep_message();

// nlohmann's exception text without its "[json.exception.parse_error.101] " prefix: what a person
// needs ("parse error at line 1, column 5: ...").
std::string json_error_text(const std::exception& e);

// Throws JsonInputError on invalid JSON and on nesting deeper than kMaxNestingDepth, before the
// deeper levels are built.
nlohmann::json parse_json_input(std::string_view text);

}  // namespace sightline::core
