// Documents from outside are bounded while they are read: nesting past kMaxNestingDepth and YAML
// anchors and aliases are refused before anything deeper or expanded is built.
#include <gtest/gtest.h>

#include <chrono>

#include "sightline/core/json_input.hpp"
#include "sightline/core/segment_definition.hpp"

namespace sightline::core {
namespace {

std::string nested_lists(size_t levels) {
    return std::string(levels, '[') + std::string(levels, ']');
}

std::string first_error(const std::string& text, DefinitionFormat format) {
    const ParsedDefinition p = parse_definition(text, format);
    EXPECT_FALSE(p.definition.has_value());
    return p.errors.empty() ? "" : p.errors.front().message;
}

TEST(JsonInput, NestingUpToTheBoundIsRead) {
    EXPECT_TRUE(parse_json_input(nested_lists(kMaxNestingDepth)).is_array());
}

TEST(JsonInput, NestingPastTheBoundIsRefusedWithTheReason) {
    try {
        parse_json_input(nested_lists(kMaxNestingDepth + 1));
        FAIL() << "accepted";
    } catch (const JsonInputError& e) {
        EXPECT_EQ(std::string(e.what()), "objects and lists are nested deeper than 64 levels");
    }
    // The attack from the issue: 400,000 levels, refused without building them.
    EXPECT_THROW(parse_json_input(nested_lists(400'000)), JsonInputError);
    EXPECT_THROW(parse_json_input("{\"a\":" + nested_lists(400'000) + "}"), JsonInputError);
}

TEST(JsonInput, InvalidJsonSaysWhere) {
    try {
        parse_json_input("{\"a\": }");
        FAIL() << "accepted";
    } catch (const JsonInputError& e) {
        EXPECT_NE(std::string(e.what()).find("line 1, column 7"), std::string::npos) << e.what();
        EXPECT_EQ(e.byte(), 7u);
    }
}

TEST(DefinitionBounds, DeepJsonIsASyntaxErrorNotACrash) {
    const std::string deep = R"({"id":"s","name":"S","rule":)" + nested_lists(400'000) + "}";
    EXPECT_EQ(first_error(deep, DefinitionFormat::json),
              "objects and lists are nested deeper than 64 levels");
}

TEST(DefinitionBounds, DeepYamlIsRefusedWithItsPosition) {
    const std::string deep = "id: s\nname: S\nrule: " + nested_lists(100'000) + "\n";
    const std::string error = first_error(deep, DefinitionFormat::yaml);
    EXPECT_EQ(error.rfind("objects and lists are nested deeper than 64 levels (line 3", 0), 0u)
        << error;
}

TEST(DefinitionBounds, YamlAnchorsAndAliasesAreRefused) {
    EXPECT_EQ(first_error("id: s\nname: S\nrule: &r {lifecycle: active}\n", DefinitionFormat::yaml),
              "anchors and aliases are not allowed in a segment definition (line 3, column 7)");
    EXPECT_EQ(first_error("id: &i s\nname: *i\nrule: {lifecycle: active}\n", DefinitionFormat::yaml)
                  .rfind("anchors and aliases are not allowed", 0),
              0u);
    // Seven levels of ten aliases (10^7 nodes expanded): refused at the first anchor, at once.
    std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i <= 7; ++i) {
        const std::string prev = "*a" + std::to_string(i - 1);
        bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
        for (int j = 0; j < 10; ++j) bomb += (j ? ", " : "") + prev;
        bomb += "]\n";
    }
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(first_error("id: s\nname: S\n" + bomb, DefinitionFormat::yaml)
                  .rfind("anchors and aliases are not allowed", 0),
              0u);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
}

TEST(DefinitionBounds, YamlStillReadsWhatItReadBefore) {
    const ParsedDefinition p = parse_definition(
        "id: s\nname: S\nrule:\n  all:\n    - revenue: {min: 500.10}\n    - not: {lifecycle: "
        "\"inactive\"}\n",
        DefinitionFormat::yaml);
    ASSERT_TRUE(p.definition.has_value()) << (p.errors.empty() ? "" : p.errors[0].message);
    EXPECT_EQ(p.canonical_json, R"({"id":"s","name":"S","rule":{"all":[{"revenue":{"min":500.10}},)"
                                R"({"not":{"lifecycle":"inactive"}}]}})");
    EXPECT_EQ(
        first_error("id: s\nid: t\nname: S\nrule: {lifecycle: lost}\n", DefinitionFormat::yaml),
        "duplicate key 'id' (line 2, column 1)");
    EXPECT_EQ(
        first_error("id: s\nname: S\n[a]: 1\nrule: {lifecycle: lost}\n", DefinitionFormat::yaml),
        "a key must be a plain name (line 3, column 1)");
}

}  // namespace
}  // namespace sightline::core
