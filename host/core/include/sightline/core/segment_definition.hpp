// The segment definition language v1 (shared/specs/segments.md), in one place: parse JSON or
// YAML text into the normalised rule tree evaluators receive (sightline/plugin/segment.hpp),
// reporting every error with its path. Used by the CLI, the HTTP API and the tests.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sightline/plugin/segment.hpp"

namespace sightline::core {

struct DefinitionError {
    std::string path;  // e.g. "rule.all[1].not.purchsed"; "" for the document itself
    std::string code;  // stable, for APIs: "unknown_key", "wrong_type", "out_of_range", ...
    std::string message;
    std::string to_string() const { return path.empty() ? message : path + ": " + message; }
};

enum class DefinitionFormat { json, yaml };

struct ParsedDefinition {
    std::optional<plugin::segment::Definition> definition;  // set exactly when errors is empty
    std::vector<DefinitionError> errors;                    // in document order
    // The definition as compact JSON with its keys in a fixed order and numbers exactly as
    // written: what the segment store keeps and the API returns. Set when valid.
    std::string canonical_json;
};

ParsedDefinition parse_definition(std::string_view text, DefinitionFormat format);

// JSON unless the text's first non-blank character says otherwise ('{' or '[' mean JSON).
DefinitionFormat guess_definition_format(std::string_view text);

}  // namespace sightline::core
