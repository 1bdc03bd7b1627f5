// A JSON or YAML document as a plain tree that keeps what the segment language needs and the
// usual parsers drop: the exact text of every number, duplicate keys, and whether a YAML scalar
// was quoted. The definition validator walks this tree, whichever syntax it came from.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sightline::core::segment_doc {

struct Node {
    enum class Kind { null, boolean, number, string, array, object };
    Kind kind = Kind::null;
    std::string text;  // number: as written; string: the value
    bool boolean = false;
    std::vector<Node> items;                            // array
    std::vector<std::pair<std::string, Node>> members;  // object, in document order
};

const char* kind_name(Node::Kind kind);

struct SyntaxError {
    std::string message;  // with line and column where the parser knows them
};

// Duplicate keys are a syntax error (the language has no use for them, and silently keeping
// one of two would hide a mistake).
std::optional<Node> read_json(std::string_view text, SyntaxError& error);
std::optional<Node> read_yaml(std::string_view text, SyntaxError& error);

// Compact JSON. Object keys are written in the order rank() gives (known keys in a fixed order,
// others alphabetically), numbers as written: equal definitions get equal text.
std::string write_canonical_json(const Node& node);

}  // namespace sightline::core::segment_doc
