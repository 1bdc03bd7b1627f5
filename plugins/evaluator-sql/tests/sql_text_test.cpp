// Parameter texts for the PostgreSQL family and the pieces of the compiler that are plain C++.
#include "sql_text.hpp"

#include <algorithm>
#include <numeric>

#include "fixture.hpp"

namespace sightline::evaluator_sql::testing {
namespace {

TEST(SqlText, TimestamptzText) {
    EXPECT_EQ(pg_timestamptz_text(0), "1970-01-01 00:00:00.000000+00");
    EXPECT_EQ(pg_timestamptz_text(us("2026-01-31T12:00:00Z")), "2026-01-31 12:00:00.000000+00");
    EXPECT_EQ(pg_timestamptz_text(us("2024-02-29T23:59:59.999999Z")),
              "2024-02-29 23:59:59.999999+00");
    EXPECT_EQ(pg_timestamptz_text(-1), "1969-12-31 23:59:59.999999+00");
    EXPECT_EQ(pg_timestamptz_text(us("2000-03-01")), "2000-03-01 00:00:00.000000+00");
    EXPECT_EQ(pg_timestamptz_text(us("1900-03-01")), "1900-03-01 00:00:00.000000+00");
    EXPECT_EQ(pg_timestamptz_text(us("0001-01-01")), "0001-01-01 00:00:00.000000+00");
    EXPECT_EQ(pg_timestamptz_text(us("0001-01-01") - 1), "0001-12-31 23:59:59.999999+00 BC");
    EXPECT_EQ(pg_timestamptz_text(us("9999-12-31T23:59:59Z")), "9999-12-31 23:59:59.000000+00");
    // Clamped far outside any stored instant, still a valid timestamptz.
    EXPECT_EQ(pg_timestamptz_text(std::numeric_limits<int64_t>::min()),
              pg_timestamptz_text(kPgMinInstantUs));
    EXPECT_EQ(pg_timestamptz_text(std::numeric_limits<int64_t>::max()),
              pg_timestamptz_text(kPgMaxInstantUs));
    EXPECT_NE(pg_timestamptz_text(kPgMinInstantUs).find(" BC"), std::string::npos);
}

TEST(SqlText, DecimalText) {
    EXPECT_EQ(decimal_text(0), "0.000000");
    EXPECT_EQ(decimal_text(1), "0.000001");
    EXPECT_EQ(decimal_text(-1), "-0.000001");
    EXPECT_EQ(decimal_text(12'345'678), "12.345678");
    EXPECT_EQ(decimal_text(seg::kUnreachableDecimal), "1000000000000.000000");
    EXPECT_EQ(decimal_text(-seg::kUnreachableDecimal), "-1000000000000.000000");
    EXPECT_EQ(decimal_text(std::numeric_limits<int64_t>::min()), "-9223372036854.775808");
}

TEST(SqlText, Identifiers) {
    EXPECT_EQ(quote_identifier("s_channel"), "\"s_channel\"");
    EXPECT_EQ(quote_identifier("a\"b"), "\"a\"\"b\"");
    EXPECT_EQ(code_points("w\xC3\xA9"
                          "b\xF0\x9F\x9A\x80"),
              4);
}

TEST(Compiler, CustomerIds) {
    EXPECT_EQ(decode_customer(Dialect::sqlite, std::numeric_limits<int64_t>::min()), 0u);
    EXPECT_EQ(decode_customer(Dialect::sqlite, -1), kHalfId - 1);
    EXPECT_EQ(decode_customer(Dialect::sqlite, 0), kHalfId);
    EXPECT_EQ(decode_customer(Dialect::sqlite, std::numeric_limits<int64_t>::max()), kMaxId);
    EXPECT_EQ(decode_customer(Dialect::postgresql, -1), kMaxId);
    EXPECT_EQ(decode_customer(Dialect::greenplum, 7), 7u);
}

TEST(Compiler, AbsurdWindowsDoNotOverflow) {
    CompileInput input;
    input.as_of_us = us("2026-01-31T12:00:00Z");
    for (auto dialect : {Dialect::sqlite, Dialect::postgresql}) {
        input.dialect = dialect;
        const auto wide = compile(purchased(within(std::numeric_limits<int64_t>::max())), input);
        EXPECT_EQ(wide.sql.find("BETWEEN"), std::string::npos) << wide.sql;  // no lower bound
        const auto old = compile(last_purchase({}, std::numeric_limits<int64_t>::max()), input);
        EXPECT_FALSE(old.sql.empty());
    }
}

TEST(Compiler, RefusesWhatTheHostRefuses) {
    CompileInput input;
    input.custom_columns = {{"i_units", sp::ValueType::int64}};
    auto prefix = field_number("i_units", sp::ValueType::int64, seg::FieldOp::prefix, {1});
    EXPECT_THROW(compile(prefix, input), sp::Error);
    EXPECT_THROW(compile(all({}), input), sp::Error);
    auto two = field_number("i_units", sp::ValueType::int64, seg::FieldOp::eq, {1, 2});
    EXPECT_THROW(compile(two, input), sp::Error);
}

TEST(Compiler, ShortCuts) {
    CompileInput input;
    input.as_of_us = us("2026-01-31T12:00:00Z");
    // Nothing to ask: an unknown field, or an all with one.
    EXPECT_TRUE(compile(field_text("s_x", seg::FieldOp::eq, {"a"}), input).sql.empty());
    EXPECT_TRUE(
        compile(all({purchased(), field_text("s_x", seg::FieldOp::eq, {"a"})}), input).sql.empty());
    // The universe only once, at the top.
    const auto q =
        compile(any({not_(purchased(within(7))), not_(lifecycle(seg::Stage::active))}), input);
    EXPECT_EQ(q.sql.find("EXCEPT"), q.sql.rfind("EXCEPT")) << q.sql;
}

// The placeholder numbers of a statement, in order of appearance: ?N (SQLite), $N::type.
std::vector<size_t> placeholders(const CompiledQuery& q, Dialect dialect) {
    std::vector<size_t> out;
    const char mark = dialect == Dialect::sqlite ? '?' : '$';
    for (size_t at = q.sql.find(mark); at != std::string::npos; at = q.sql.find(mark, at + 1)) {
        out.push_back(std::stoul(q.sql.substr(at + 1)));
    }
    return out;
}

// Regression (differential test, seed 20261129, cases 640, 790, 1456): a sub-rule the compiler
// simplified away (to the universe or the empty set) left the parameters it had created in the
// list, so the statement had fewer placeholders than values ("the statement has 3 parameters;
// got 4 values" on SQLite, "could not determine data type of parameter $1" on PostgreSQL),
// and a dropped purchases rule still defined the purchases CTE.
TEST(Compiler, SimplifiedSubRulesLeaveNoParameters) {
    CompileInput input;
    input.as_of_us = us("2026-01-31T12:00:00Z");
    input.custom_columns = {{"i_units", sp::ValueType::int64}};
    const auto later = between("2027-01-01", "2027-01-02");  // after as_of: an empty window
    const auto units = [](seg::FieldOp op, int64_t v, seg::Window w = {}) {
        return field_number("i_units", sp::ValueType::int64, op, {v}, w);
    };
    struct Case {
        const char* name;
        seg::Rule rule;
        bool purchases;  // whether the statement still reads the purchases CTE
    };
    const std::vector<Case> cases = {
        // any with the universe (orders in an empty window, 0 in range): the rest goes.
        {"any [last_purchase, field, any [orders max 5 later, inactive]]",
         any({last_purchase(7, {}), units(seg::FieldOp::ne, 0),
              any({orders(later, {}, 5), lifecycle(seg::Stage::inactive)})}),
         false},
        {"any [lifecycle, orders max 3 later]",
         any({lifecycle(seg::Stage::active), orders(later, {}, 3)}), false},
        // all with the empty set (orders min 1 in an empty window): the field goes.
        {"any [purchased, all [field, orders min 1 later]]",
         any({purchased({}, {"sku-hat"}), all({units(seg::FieldOp::ge, 5), orders(later, 1, {})})}),
         false},
        // not (all [field, not universe]) = not empty = the universe.
        {"not all [field, not orders min 0]",
         not_(all({units(seg::FieldOp::eq, 100, within(7)), not_(orders(within(730), 0, {}))})),
         false},
        // Only the revenue rule goes; the lifecycle rule keeps the CTE.
        {"all [inactive, any [revenue, orders min 0]]",
         all({lifecycle(seg::Stage::inactive),
              any({revenue(within(30), 10 * kUnit, {}), orders({}, 0, {})})}),
         true},
    };
    for (auto dialect : {Dialect::sqlite, Dialect::postgresql, Dialect::greenplum}) {
        input.dialect = dialect;
        for (const auto& c : cases) {
            const CompiledQuery q = compile(c.rule, input);
            ASSERT_FALSE(q.sql.empty()) << c.name;
            // Every parameter is used, numbered 1..n.
            std::vector<size_t> used = placeholders(q, dialect);
            std::sort(used.begin(), used.end());
            used.erase(std::unique(used.begin(), used.end()), used.end());
            std::vector<size_t> expected(q.params.size());
            std::iota(expected.begin(), expected.end(), size_t{1});
            EXPECT_EQ(used, expected) << to_string(dialect) << ", " << c.name << ": " << q.sql;
            EXPECT_EQ(q.sql.find("purchases") != std::string::npos, c.purchases)
                << to_string(dialect) << ", " << c.name << ": " << q.sql;
        }
    }
}

}  // namespace
}  // namespace sightline::evaluator_sql::testing
