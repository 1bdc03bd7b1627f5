// Fuzzes a segment definition as a client sends it (PUT /segments/{id}, `segment put`): the
// first byte's low bit chooses JSON or YAML, the rest is the document. It goes through
// parse_definition(), the function the HTTP API and the CLI call, and then:
// - a valid definition's canonical JSON (what the segment store keeps) read back as JSON is
//   valid, with the same canonical JSON and the same id, name and rule kind: what is stored can
//   always be read again, unchanged;
// - any document the reader accepts (valid definition or not) can be written as canonical JSON,
//   and where that reads back, it writes the same text again (the canonical form is a fixed
//   point);
// - an invalid definition has at least one error, each with a code and a message.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "segment_document.hpp"
#include "sightline/core/segment_definition.hpp"

using namespace sightline::core;

namespace {

void check_document(std::string_view text, DefinitionFormat format) {
    segment_doc::SyntaxError error;
    const auto root = format == DefinitionFormat::json ? segment_doc::read_json(text, error)
                                                       : segment_doc::read_yaml(text, error);
    if (!root) {
        FUZZ_CHECK(!error.message.empty());
        return;
    }
    const std::string canonical = segment_doc::write_canonical_json(*root);
    // A YAML number as written ("007") need not be JSON; the validator refuses such numbers in
    // a definition, so only a definition's canonical form must always read back.
    segment_doc::SyntaxError again_error;
    if (const auto again = segment_doc::read_json(canonical, again_error))
        FUZZ_CHECK(segment_doc::write_canonical_json(*again) == canonical);
}

void check_definition(std::string_view text, DefinitionFormat format) {
    const ParsedDefinition parsed = parse_definition(text, format);
    FUZZ_CHECK(parsed.definition.has_value() == parsed.errors.empty());
    if (!parsed.definition) {
        for (const DefinitionError& e : parsed.errors)
            FUZZ_CHECK(!e.code.empty() && !e.message.empty());
        return;
    }
    FUZZ_CHECK(!parsed.canonical_json.empty());
    const ParsedDefinition stored = parse_definition(parsed.canonical_json, DefinitionFormat::json);
    FUZZ_CHECK(stored.definition.has_value());
    FUZZ_CHECK(stored.canonical_json == parsed.canonical_json);
    FUZZ_CHECK(stored.definition->id == parsed.definition->id);
    FUZZ_CHECK(stored.definition->name == parsed.definition->name);
    FUZZ_CHECK(stored.definition->rule.kind == parsed.definition->rule.kind);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const DefinitionFormat format = data[0] & 1 ? DefinitionFormat::yaml : DefinitionFormat::json;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    check_definition(text, format);
    check_document(text, format);
    return 0;
}
