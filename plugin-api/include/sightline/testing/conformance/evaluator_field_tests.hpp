// Evaluator conformance, part 3: `field` over custom columns, by type (s_ by code point and
// case-sensitive with a literal prefix, i_ and f_ exactly, d_ as instants), `ne` as "a present
// value that differs", windows, and a field the tenant never had. as_of is kAsOf.
#pragma once

#include <algorithm>

#include "sightline/testing/conformance/evaluator_fixture.hpp"

namespace sightline::testing {

TEST_P(EvaluatorConformance, StringFieldsCompareByCodePointCaseSensitively) {
    // s_channel per customer: 1 web, 2 Web, 3 (missing), 4 é, 5 Z, 6 a%_b, 7 web and shop,
    // 8 web after kAsOf only.
    load(
        "order,timestamp,customer,item,price,s_channel\n"
        "A,2026-01-10T00:00:00Z,1,x,1,web\n"
        "A,2026-01-10T00:00:00Z,2,x,1,Web\n"
        "A,2026-01-10T00:00:00Z,3,x,1,\n"
        "A,2026-01-10T00:00:00Z,4,x,1,é\n"
        "A,2026-01-10T00:00:00Z,5,x,1,Z\n"
        "A,2026-01-10T00:00:00Z,6,x,1,a%_b\n"
        "A,2026-01-10T00:00:00Z,7,x,1,web\n"
        "B,2026-01-31T00:00:00Z,7,x,1,shop\n"
        "A,2026-02-10T00:00:00Z,8,x,1,web\n");
    const auto f = [&](const std::string& op, const std::string& value) {
        return ids(R"({"field": {"name": "s_channel", "op": ")" + op + R"(", "value": )" + value +
                   "}}");
    };
    EXPECT_EQ(f("eq", R"("web")"), (Ids{1, 7}));
    EXPECT_EQ(f("eq", R"("WEB")"), Ids{});
    // ne: some line's value is present and differs (7 has "shop"; 3's value is missing).
    EXPECT_EQ(f("ne", R"("web")"), (Ids{2, 4, 5, 6, 7}));
    // "Z" < "a" < "z" < "é" (U+00E9)
    EXPECT_EQ(f("lt", R"("a")"), (Ids{2, 5}));
    EXPECT_EQ(f("le", R"("Z")"), (Ids{2, 5}));
    EXPECT_EQ(f("gt", R"("a")"), (Ids{1, 4, 6, 7}));
    EXPECT_EQ(f("gt", R"("z")"), (Ids{4}));
    EXPECT_EQ(f("ge", R"("é")"), (Ids{4}));
    EXPECT_EQ(f("lt", R"("é")"), (Ids{1, 2, 5, 6, 7}));
    EXPECT_EQ(f("in", R"(["Z", "web", "nope"])"), (Ids{1, 5, 7}));
    EXPECT_EQ(f("in", R"(["shop"])"), (Ids{7}));
}

TEST_P(EvaluatorConformance, StringPrefixIsLiteralAndCaseSensitive) {
    load(
        "order,timestamp,customer,item,price,s_code\n"
        "A,2026-01-10T00:00:00Z,1,x,1,a%_b\n"
        "A,2026-01-10T00:00:00Z,2,x,1,abcd\n"
        "A,2026-01-10T00:00:00Z,3,x,1,Abc\n"
        "A,2026-01-10T00:00:00Z,4,x,1,a_c\n"
        "A,2026-01-10T00:00:00Z,5,x,1,%x\n"
        "A,2026-01-10T00:00:00Z,6,x,1,\n");
    const auto p = [&](const std::string& value) {
        return ids(R"({"field": {"name": "s_code", "op": "prefix", "value": ")" + value + R"("}})");
    };
    EXPECT_EQ(p("a%"), (Ids{1}));  // '%' is no wildcard
    EXPECT_EQ(p("a_"), (Ids{4}));  // nor is '_'
    EXPECT_EQ(p("a%_"), (Ids{1}));
    EXPECT_EQ(p("%"), (Ids{5}));
    EXPECT_EQ(p("_"), Ids{});
    EXPECT_EQ(p("a"), (Ids{1, 2, 4}));
    EXPECT_EQ(p("A"), (Ids{3}));
    EXPECT_EQ(p("abc"), (Ids{2}));
    EXPECT_EQ(p("abcde"), Ids{});
}

TEST_P(EvaluatorConformance, IntegerFieldsCompareExactly) {
    // i_n: 1 5, 2 -3, 3 (missing), 4 10, 5 5, 6 0, 7 5 and 6, 8 9223372036854775807
    load(
        "order,timestamp,customer,item,price,i_n\n"
        "A,2026-01-10T00:00:00Z,1,x,1,5\n"
        "A,2026-01-10T00:00:00Z,2,x,1,-3\n"
        "A,2026-01-10T00:00:00Z,3,x,1,\n"
        "A,2026-01-10T00:00:00Z,4,x,1,10\n"
        "A,2026-01-10T00:00:00Z,5,x,1,5\n"
        "A,2026-01-10T00:00:00Z,6,x,1,0\n"
        "A,2026-01-10T00:00:00Z,7,x,1,5\n"
        "B,2026-01-10T00:00:00Z,7,x,1,6\n"
        "A,2026-01-10T00:00:00Z,8,x,1,9223372036854775807\n");
    const auto f = [&](const std::string& op, const std::string& value) {
        return ids(R"({"field": {"name": "i_n", "op": ")" + op + R"(", "value": )" + value + "}}");
    };
    EXPECT_EQ(f("eq", "5"), (Ids{1, 5, 7}));
    EXPECT_EQ(f("ne", "5"), (Ids{2, 4, 6, 7, 8}));
    EXPECT_EQ(f("lt", "0"), (Ids{2}));
    EXPECT_EQ(f("le", "0"), (Ids{2, 6}));
    EXPECT_EQ(f("gt", "5"), (Ids{4, 7, 8}));
    EXPECT_EQ(f("ge", "5"), (Ids{1, 4, 5, 7, 8}));
    EXPECT_EQ(f("in", "[10, -3]"), (Ids{2, 4}));
    EXPECT_EQ(f("eq", "9223372036854775807"), (Ids{8}));
    EXPECT_EQ(f("gt", "9223372036854775806"), (Ids{8}));
}

TEST_P(EvaluatorConformance, DecimalFieldsCompareExactlyWithValuesBeyondSixDecimals) {
    // f_x: 1 1, 2 1.000001, 3 0.999999, 4 (missing), 5 -1.5
    load(
        "order,timestamp,customer,item,price,f_x\n"
        "A,2026-01-10T00:00:00Z,1,x,1,1\n"
        "A,2026-01-10T00:00:00Z,2,x,1,1.000001\n"
        "A,2026-01-10T00:00:00Z,3,x,1,0.999999\n"
        "A,2026-01-10T00:00:00Z,4,x,1,\n"
        "A,2026-01-10T00:00:00Z,5,x,1,-1.5\n");
    const auto f = [&](const std::string& op, const std::string& value) {
        return ids(R"({"field": {"name": "f_x", "op": ")" + op + R"(", "value": )" + value + "}}");
    };
    EXPECT_EQ(f("eq", "1"), (Ids{1}));
    EXPECT_EQ(f("eq", "1.000000"), (Ids{1}));
    EXPECT_EQ(f("eq", "-1.5"), (Ids{5}));
    EXPECT_EQ(f("gt", "1"), (Ids{2}));
    EXPECT_EQ(f("ge", "0.999999"), (Ids{1, 2, 3}));
    // 1.0000001 equals no stored value and lies between 1 and 1.000001.
    EXPECT_EQ(f("eq", "1.0000001"), Ids{});
    EXPECT_EQ(f("ne", "1.0000001"), (Ids{1, 2, 3, 5}));
    EXPECT_EQ(f("gt", "1.0000001"), (Ids{2}));
    EXPECT_EQ(f("ge", "1.0000001"), (Ids{2}));
    EXPECT_EQ(f("lt", "1.0000001"), (Ids{1, 3, 5}));
    EXPECT_EQ(f("le", "1.0000001"), (Ids{1, 3, 5}));
    EXPECT_EQ(f("lt", "-1.4999999"), (Ids{5}));
    EXPECT_EQ(f("gt", "-1.5000001"), (Ids{1, 2, 3, 5}));
    EXPECT_EQ(f("in", "[1.0000001, 0.999999]"), (Ids{3}));
}

TEST_P(EvaluatorConformance, DateFieldsCompareAsInstantsWithDatesAtMidnightUtc) {
    // d_when: 1 2026-01-01 (midnight UTC), 2 2026-01-01T00:00:01Z, 3 2025-12-31T23:59:59Z,
    // 4 2026-01-01T00:00:00+01:00 (2025-12-31T23:00:00Z), 5 (missing)
    load(
        "order,timestamp,customer,item,price,d_when\n"
        "A,2026-01-10T00:00:00Z,1,x,1,2026-01-01\n"
        "A,2026-01-10T00:00:00Z,2,x,1,2026-01-01T00:00:01Z\n"
        "A,2026-01-10T00:00:00Z,3,x,1,2025-12-31T23:59:59Z\n"
        "A,2026-01-10T00:00:00Z,4,x,1,2026-01-01T00:00:00+01:00\n"
        "A,2026-01-10T00:00:00Z,5,x,1,\n");
    const auto f = [&](const std::string& op, const std::string& value) {
        return ids(R"({"field": {"name": "d_when", "op": ")" + op + R"(", "value": )" + value +
                   "}}");
    };
    EXPECT_EQ(f("eq", R"("2026-01-01")"), (Ids{1}));
    EXPECT_EQ(f("eq", R"("2026-01-01T00:00:00Z")"), (Ids{1}));
    EXPECT_EQ(f("ge", R"("2026-01-01")"), (Ids{1, 2}));
    EXPECT_EQ(f("lt", R"("2026-01-01")"), (Ids{3, 4}));
    EXPECT_EQ(f("le", R"("2025-12-31T23:00:00Z")"), (Ids{4}));
    EXPECT_EQ(f("gt", R"("2025-12-31")"), (Ids{1, 2, 3, 4}));
    EXPECT_EQ(f("ne", R"("2026-01-01")"), (Ids{2, 3, 4}));
    EXPECT_EQ(f("in", R"(["2025-12-31T23:00:00Z", "2026-01-01"])"), (Ids{1, 4}));
}

TEST_P(EvaluatorConformance, FieldWindowsSelectTheLines) {
    load(
        "order,timestamp,customer,item,price,s_channel\n"
        "A,2026-01-10T00:00:00Z,1,x,1,web\n"
        "B,2026-01-31T00:00:00Z,1,x,1,shop\n"
        "A,2026-01-30T12:00:00Z,2,x,1,web\n"  // exactly kAsOf - 1 day
        "A,2026-01-30T12:00:01Z,3,x,1,web\n"
        "A,2026-02-01T00:00:00Z,4,x,1,web\n");  // after kAsOf
    EXPECT_EQ(
        ids(R"({"field": {"name": "s_channel", "op": "eq", "value": "web", "within_days": 1}})"),
        (Ids{3}));
    EXPECT_EQ(
        ids(R"({"field": {"name": "s_channel", "op": "ne", "value": "web", "within_days": 1}})"),
        (Ids{1}));
    EXPECT_EQ(ids(R"({"field": {"name": "s_channel", "op": "eq", "value": "web",)"
                  R"( "between": ["2026-01-10", "2026-01-10"]}})"),
              (Ids{1}));
    EXPECT_EQ(ids(R"({"field": {"name": "s_channel", "op": "eq", "value": "web"}})"),
              (Ids{1, 2, 3}));
}

TEST_P(EvaluatorConformance, AFieldTheTenantNeverHadMatchesNoLineAndIsNamedInAWarning) {
    load(
        "order,timestamp,customer,item,price,s_channel\n"
        "A,2026-01-10T00:00:00Z,1,x,1,web\n"
        "A,2026-01-10T00:00:00Z,2,x,1,\n");
    const EvaluateResult r =
        evaluate(R"({"field": {"name": "s_region", "op": "ne", "value": "x"}})");
    EXPECT_EQ(r.customers, Ids{});
    EXPECT_TRUE(std::any_of(r.warnings.begin(), r.warnings.end(), [](const std::string& w) {
        return w.find("s_region") != std::string::npos;
    })) << "no warning names s_region";
    const EvaluateResult n =
        evaluate(R"({"not": {"field": {"name": "i_count", "op": "ge", "value": 0}}})");
    EXPECT_EQ(n.customers, (Ids{1, 2}));
    EXPECT_TRUE(std::any_of(n.warnings.begin(), n.warnings.end(), [](const std::string& w) {
        return w.find("i_count") != std::string::npos;
    })) << "no warning names i_count";
    // A field the tenant has: no warning.
    const EvaluateResult known =
        evaluate(R"({"field": {"name": "s_channel", "op": "eq", "value": "web"}})");
    EXPECT_EQ(known.customers, Ids{1});
    for (const auto& w : known.warnings) EXPECT_EQ(w.find("s_channel"), std::string::npos) << w;
}

}  // namespace sightline::testing
