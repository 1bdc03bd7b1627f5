#include "sightline/core/segment_definition.hpp"

#include <gtest/gtest.h>

#include "sightline/core/timestamp.hpp"

namespace sightline::core {
namespace {

namespace seg = plugin::segment;

seg::Definition valid(const std::string& text, DefinitionFormat format = DefinitionFormat::json) {
    const ParsedDefinition p = parse_definition(text, format);
    std::string all;
    for (const auto& e : p.errors) all += e.to_string() + "\n";
    EXPECT_TRUE(p.definition.has_value()) << all;
    return p.definition.value_or(seg::Definition{});
}

std::vector<DefinitionError> invalid(const std::string& text,
                                     DefinitionFormat format = DefinitionFormat::json) {
    const ParsedDefinition p = parse_definition(text, format);
    EXPECT_FALSE(p.definition.has_value()) << text;
    EXPECT_FALSE(p.errors.empty());
    return p.errors;
}

std::string with_rule(const std::string& rule) {
    return R"({"id":"s1","name":"S","rule":)" + rule + "}";
}

int64_t ts(const std::string& text) {
    std::string reason;
    return parse_timestamp(text, reason).value();
}

TEST(SegmentDefinition, ParsesTheSpecExample) {
    const auto d = valid(R"({
      "id": "lapsed-vip", "name": "Lapsed VIPs",
      "description": "Spent 500 or more in the last two years, nothing in the last 90 days",
      "rule": {"all": [
        {"revenue": {"within_days": 730, "min": 500}},
        {"not": {"purchased": {"within_days": 90}}}]}})");
    EXPECT_EQ(d.id, "lapsed-vip");
    EXPECT_EQ(d.name, "Lapsed VIPs");
    ASSERT_EQ(d.rule.kind, seg::RuleKind::all);
    ASSERT_EQ(d.rule.rules.size(), 2u);
    const auto& revenue = d.rule.rules[0];
    EXPECT_EQ(revenue.kind, seg::RuleKind::revenue);
    EXPECT_EQ(revenue.window.kind, seg::WindowKind::within_days);
    EXPECT_EQ(revenue.window.days, 730);
    EXPECT_EQ(revenue.min, 500'000'000);
    EXPECT_FALSE(revenue.max.has_value());
    const auto& n = d.rule.rules[1];
    ASSERT_EQ(n.kind, seg::RuleKind::not_);
    ASSERT_EQ(n.rules.size(), 1u);
    EXPECT_EQ(n.rules[0].kind, seg::RuleKind::purchased);
    EXPECT_EQ(n.rules[0].min_orders, 1);
}

TEST(SegmentDefinition, UnknownRuleNamesItsPathAndSuggests) {
    const auto errors =
        invalid(with_rule(R"({"all":[{"orders":{"min":1}},{"not":{"purchsed":{}}}]})"));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].path, "rule.all[1].not.purchsed");
    EXPECT_EQ(errors[0].code, "unknown_rule");
    EXPECT_NE(errors[0].message.find("did you mean 'purchased'?"), std::string::npos)
        << errors[0].message;
}

TEST(SegmentDefinition, ReportsEveryErrorNotJustTheFirst) {
    const auto errors = invalid(
        R"({"id":"Bad Id","nmae":"x","rule":{"any":[{"orders":{"min":-1}},{"lifecycle":"actve"},
           {"revenue":{"within_days":0,"min":1}}]}})");
    std::vector<std::string> paths;
    for (const auto& e : errors) paths.push_back(e.path);
    EXPECT_EQ(paths, (std::vector<std::string>{"nmae", "id", "name", "rule.any[0].orders.min",
                                               "rule.any[1].lifecycle",
                                               "rule.any[2].revenue.within_days"}));
    EXPECT_NE(errors[0].message.find("did you mean 'name'?"), std::string::npos);
    EXPECT_NE(errors[4].message.find("did you mean 'active'?"), std::string::npos);
}

TEST(SegmentDefinition, UnknownKeysInsideRules) {
    const auto errors = invalid(with_rule(R"({"purchased":{"within_days":3,"item":["a"]}})"));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].path, "rule.purchased.item");
    EXPECT_EQ(errors[0].code, "unknown_key");
    EXPECT_NE(errors[0].message.find("did you mean 'items'?"), std::string::npos);
}

TEST(SegmentDefinition, ARuleObjectHasExactlyOneKey) {
    EXPECT_EQ(invalid(with_rule(R"({"orders":{"min":1},"revenue":{"min":1}})"))[0].code,
              "invalid_rule");
    EXPECT_EQ(invalid(with_rule("{}"))[0].code, "invalid_rule");
    EXPECT_EQ(invalid(with_rule(R"({"all":[]})"))[0].path, "rule.all");
}

TEST(SegmentDefinition, DuplicateKeysAndSyntaxErrorsAreRefused) {
    EXPECT_EQ(invalid(R"({"id":"a","id":"b","name":"x","rule":{"orders":{"min":1}}})")[0].code,
              "syntax");
    const auto errors = invalid("{\"id\": \"a\",\n \"name\": }");
    EXPECT_NE(errors[0].message.find("line 2"), std::string::npos) << errors[0].message;
}

TEST(SegmentDefinition, NumbersAreExactDecimalsRoundedInwardsForRevenue) {
    auto d = valid(with_rule(R"({"revenue":{"min":0.0000001,"max":99.9999999}})"));
    EXPECT_EQ(d.rule.min, 1);           // any sum >= 0.0000001 is >= 0.000001
    EXPECT_EQ(d.rule.max, 99'999'999);  // any sum <= 99.9999999 is <= 99.999999
    d = valid(with_rule(R"({"revenue":{"min":-0.5e1,"max":1E2}})"));
    EXPECT_EQ(d.rule.min, -5'000'000);
    EXPECT_EQ(d.rule.max, 100'000'000);
    // 2^53 + 1 survives: no binary floating point on the way.
    d = valid(with_rule(R"({"revenue":{"min":9007199254740993.000001}})"));
    EXPECT_EQ(d.rule.min, std::numeric_limits<int64_t>::max());  // saturated, still exact order
    d = valid(with_rule(R"({"revenue":{"min":9007199.254740993}})"));
    EXPECT_EQ(d.rule.min, 9'007'199'254'741);
    EXPECT_EQ(invalid(with_rule(R"({"revenue":{"min":5,"max":4.9}})"))[0].path, "rule.revenue");
    EXPECT_EQ(invalid(with_rule(R"({"orders":{"min":1.5}})"))[0].code, "wrong_type");
    EXPECT_EQ(invalid(with_rule(R"({"orders":{}})"))[0].code, "missing_key");
}

TEST(SegmentDefinition, Windows) {
    auto d = valid(with_rule(R"({"orders":{"between":["2026-01-01","2026-01-31"],"min":1}})"));
    EXPECT_EQ(d.rule.window.kind, seg::WindowKind::between);
    EXPECT_EQ(d.rule.window.from_us, ts("2026-01-01T00:00:00Z"));
    EXPECT_EQ(d.rule.window.until_us, ts("2026-02-01T00:00:00Z"));
    // within_days: as_of - N days < t <= as_of, as a closed µs range.
    const int64_t as_of = ts("2026-03-10T12:00:00Z");
    seg::Window w{seg::WindowKind::within_days, 2, 0, 0};
    const auto r = seg::resolve(w, as_of);
    EXPECT_EQ(r.first_us, ts("2026-03-08T12:00:00.000001Z"));
    EXPECT_EQ(r.last_us, as_of);
    // between ending after as_of stops at as_of.
    const auto b = seg::resolve(d.rule.window, ts("2026-01-15T00:00:00Z"));
    EXPECT_EQ(b.last_us, ts("2026-01-15T00:00:00Z"));
    EXPECT_EQ(
        invalid(with_rule(
            R"({"orders":{"within_days":3,"between":["2026-01-01","2026-01-02"],"min":1}})"))[0]
            .code,
        "conflict");
    EXPECT_EQ(
        invalid(with_rule(R"({"orders":{"between":["2026-02-30","2026-03-01"],"min":1}})"))[0].path,
        "rule.orders.between[0]");
    EXPECT_EQ(
        invalid(with_rule(R"({"orders":{"between":["2026-03-02","2026-03-01"],"min":1}})"))[0].path,
        "rule.orders.between");
}

TEST(SegmentDefinition, FieldsAreTypedByPrefix) {
    auto d = valid(with_rule(R"({"field":{"name":"i_visits","op":"ge","value":3}})"));
    EXPECT_EQ(d.rule.field.type, plugin::ValueType::int64);
    EXPECT_EQ(d.rule.field.values.at(0).number, 3);
    EXPECT_EQ(
        invalid(with_rule(R"({"field":{"name":"i_visits","op":"eq","value":"abc"}})"))[0].code,
        "wrong_type");
    EXPECT_EQ(invalid(with_rule(R"({"field":{"name":"i_visits","op":"eq","value":1.5}})"))[0].code,
              "wrong_type");
    EXPECT_EQ(
        invalid(with_rule(R"({"field":{"name":"i_visits","op":"prefix","value":1}})"))[0].path,
        "rule.field.op");
    d = valid(with_rule(R"({"field":{"name":"d_since","op":"lt","value":"2026-01-02"}})"));
    EXPECT_EQ(d.rule.field.values.at(0).number, ts("2026-01-02T00:00:00Z"));
    d = valid(with_rule(R"({"field":{"name":"s_channel","op":"in","value":["web","shop"]}})"));
    ASSERT_EQ(d.rule.field.values.size(), 2u);
    EXPECT_EQ(d.rule.field.values[1].text, "shop");
    EXPECT_EQ(invalid(with_rule(R"({"field":{"name":"channel","op":"eq","value":"x"}})"))[0].path,
              "rule.field.name");
}

TEST(SegmentDefinition, DecimalFieldValuesKeepComparisonsExact) {
    auto op = [](const std::string& o, const std::string& v) {
        return valid(with_rule(R"({"field":{"name":"f_score","op":")" + o + R"(","value":)" + v +
                               "}}"))
            .rule.field.values.at(0)
            .number;
    };
    EXPECT_EQ(op("eq", "1.5"), 1'500'000);
    EXPECT_EQ(op("eq", "1.0000001"), seg::kUnreachableDecimal);  // no stored value equals it
    EXPECT_EQ(op("ne", "1.0000001"), seg::kUnreachableDecimal);  // every stored value differs
    EXPECT_EQ(op("lt", "1.0000001"), 1'000'001);                 // v < 1.0000001 <=> v < 1.000001
    EXPECT_EQ(op("le", "1.0000001"), 1'000'000);
    EXPECT_EQ(op("gt", "1.0000001"), 1'000'000);
    EXPECT_EQ(op("ge", "1.0000001"), 1'000'001);
    EXPECT_EQ(op("lt", "-1.0000001"), -1'000'000);
    EXPECT_EQ(op("gt", "1e30"), seg::kUnreachableDecimal);
    EXPECT_EQ(op("lt", "-1e30"), -seg::kUnreachableDecimal);
}

TEST(SegmentDefinition, CategoriesAreCanonicalPaths) {
    const auto d = valid(
        with_rule(R"({"purchased":{"categories":["Shoes > Running"," Sale"],"min_orders":2}})"));
    EXPECT_EQ(d.rule.categories, (std::vector<std::string>{"Shoes>Running", "Sale"}));
    EXPECT_EQ(d.rule.min_orders, 2);
    EXPECT_EQ(invalid(with_rule(R"({"purchased":{"categories":["A|B"]}})"))[0].path,
              "rule.purchased.categories[0]");
    EXPECT_EQ(invalid(with_rule(R"({"purchased":{"categories":["A>>B"]}})"))[0].code,
              "invalid_value");
}

TEST(SegmentDefinition, YamlGivesTheSameDefinitionAndCanonicalText) {
    const std::string json =
        R"({"name":"Lapsed","id":"lapsed","rule":{"all":[{"revenue":{"min":500.50,"within_days":730}},{"field":{"name":"s_code","op":"eq","value":"007"}}]}})";
    const std::string yaml = R"(
id: lapsed
name: Lapsed
rule:
  all:
    - revenue: {within_days: 730, min: 500.50}
    - field: {name: s_code, op: eq, value: "007"}
)";
    const auto a = parse_definition(json, DefinitionFormat::json);
    const auto b = parse_definition(yaml, DefinitionFormat::yaml);
    ASSERT_TRUE(a.definition && b.definition);
    EXPECT_EQ(a.canonical_json, b.canonical_json);
    EXPECT_EQ(
        a.canonical_json,
        R"({"id":"lapsed","name":"Lapsed","rule":{"all":[{"revenue":{"within_days":730,"min":500.50}},{"field":{"name":"s_code","op":"eq","value":"007"}}]}})");
    // An unquoted 007 in YAML is a number, which an s_ field refuses.
    EXPECT_EQ(invalid("id: x\nname: X\nrule: {field: {name: s_code, op: eq, value: 7}}",
                      DefinitionFormat::yaml)[0]
                  .code,
              "wrong_type");
    EXPECT_EQ(guess_definition_format("  {\"id\":1}"), DefinitionFormat::json);
    EXPECT_EQ(guess_definition_format("id: x"), DefinitionFormat::yaml);
}

// Found by the segment_document fuzz target: yaml-cpp hands over invalid UTF-8 unchecked, and
// writing it as canonical JSON threw (a 500 from PUT /segments, an exception from the CLI).
TEST(SegmentDefinition, YamlWithInvalidUtf8IsASyntaxError) {
    for (const std::string yaml : {"id: a\nname: \"\xff\"\nrule: {orders: {min: 1}}\n",
                                   "id: a\nname: A\nrule: {orders: {min: 1}}\n\xc3: b\n"}) {
        ParsedDefinition p;
        ASSERT_NO_THROW(p = parse_definition(yaml, DefinitionFormat::yaml));
        ASSERT_EQ(p.errors.size(), 1u);
        EXPECT_EQ(p.errors[0].code, "syntax");
        EXPECT_NE(p.errors[0].message.find("not valid UTF-8"), std::string::npos);
    }
}

// Found by the segment_document fuzz target: YAML's -0 was kept as written, JSON's -0 reads as
// the integer 0, so one definition had two canonical forms depending on its format.
TEST(SegmentDefinition, MinusZeroHasOneCanonicalFormInJsonAndYaml) {
    const auto a = parse_definition(R"({"id":"z","name":"Z","rule":{"orders":{"min":-0}}})",
                                    DefinitionFormat::json);
    const auto b =
        parse_definition("id: z\nname: Z\nrule: {orders: {min: -0}}\n", DefinitionFormat::yaml);
    EXPECT_EQ(a.canonical_json, b.canonical_json);
    EXPECT_NE(b.canonical_json.find(R"("min":0)"), std::string::npos) << b.canonical_json;
}

TEST(SegmentDefinition, LastAndFirstPurchase) {
    auto d = valid(with_rule(R"({"last_purchase":{"within_days":30,"before_days":7}})"));
    EXPECT_EQ(d.rule.within_days, 30);
    EXPECT_EQ(d.rule.before_days, 7);
    const int64_t as_of = ts("2026-03-31T00:00:00Z");
    const auto r = seg::resolve_age(d.rule.within_days, d.rule.before_days, as_of);
    EXPECT_EQ(r.first_us, ts("2026-03-01T00:00:00.000001Z"));
    EXPECT_EQ(r.last_us, ts("2026-03-24T00:00:00Z"));
    EXPECT_EQ(invalid(with_rule(R"({"first_purchase":{}})"))[0].code, "missing_key");
}

TEST(SegmentDefinition, DeepNestingIsBounded) {
    std::string rule = R"({"orders":{"min":1}})";
    for (int i = 0; i < 40; ++i) rule = R"({"not":)" + rule + "}";
    EXPECT_EQ(invalid(with_rule(rule))[0].code, "out_of_range");
}

}  // namespace
}  // namespace sightline::core
