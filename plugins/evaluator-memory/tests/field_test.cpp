// field: comparisons by the column's type, over stored values; a field never seen matches nothing.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace sightline::evaluator_memory::testing {
namespace {

using Op = sg::FieldOp;
const int64_t kAsOf = at("2026-01-31T12:00:00Z");
constexpr int64_t kUnreachable = sg::kUnreachableDecimal;

class Fields : public ::testing::Test {
protected:
    void SetUp() override {
        // s_channel: web Web (missing) é Z a%_b; i_n: 5 -3 - 10 5 0;
        // f_x: 1.5 0.000001 - 2 -1.5 0; d_when: 01-01, 01-01T00:00:01, -, 12-31T23:59:59, 01-02,
        // 01-01. Customer 7's only line is after kAsOf.
        data.load("s.csv",
                  "order,timestamp,customer,item,price,s_channel,i_n,f_x,d_when\n"
                  "F1,2026-01-10T00:00:00Z,1,A,1,web,5,1.5,2026-01-01\n"
                  "F2,2026-01-10T00:00:00Z,2,A,1,Web,-3,0.000001,2026-01-01T00:00:01Z\n"
                  "F3,2026-01-10T00:00:00Z,3,A,1,,,,\n"
                  "F4,2026-01-10T00:00:00Z,4,A,1,é,10,2,2025-12-31T23:59:59Z\n"
                  "F5,2026-01-10T00:00:00Z,5,A,1,Z,5,-1.5,2026-01-02\n"
                  "F6,2026-01-10T00:00:00Z,6,A,1,a%_b,0,0,2026-01-01\n"
                  "F7,2026-02-10T00:00:00Z,7,A,1,web,5,1.5,2026-01-01\n");
    }
    Ids text(Op op, std::vector<std::string> values, sg::Window w = {}) {
        return data.ids(field_text("s_channel", op, std::move(values), w), kAsOf);
    }
    Ids number(const char* name, sp::ValueType type, Op op, std::vector<int64_t> values) {
        return data.ids(field_number(name, type, op, std::move(values)), kAsOf);
    }
    Data data;
};

TEST_F(Fields, StringsByCodePointCaseSensitive) {
    EXPECT_EQ(text(Op::eq, {"web"}), (Ids{1}));
    EXPECT_EQ(text(Op::ne, {"web"}), (Ids{2, 4, 5, 6}));  // present and different
    EXPECT_EQ(text(Op::lt, {"a"}), (Ids{2, 5}));          // "Web" "Z" < "a"
    EXPECT_EQ(text(Op::gt, {"a"}), (Ids{1, 4, 6}));       // "a%_b" > "a"; "é" > "z"
    EXPECT_EQ(text(Op::ge, {"é"}), (Ids{4}));
    EXPECT_EQ(text(Op::le, {"Z"}), (Ids{2, 5}));
    EXPECT_EQ(text(Op::in, {"Z", "web", "nope"}), (Ids{1, 5}));
    EXPECT_EQ(text(Op::prefix, {"a%"}), (Ids{6}));
    EXPECT_EQ(text(Op::prefix, {"a_"}), Ids{});  // literal: '_' is no wildcard
    EXPECT_EQ(text(Op::prefix, {"W"}), (Ids{2}));
    EXPECT_EQ(text(Op::prefix, {"w"}), (Ids{1}));
    EXPECT_EQ(text(Op::prefix, {""}), (Ids{1, 2, 4, 5, 6}));
    EXPECT_EQ(text(Op::eq, {"web"}, within_days(1)), Ids{});
    EXPECT_EQ(text(Op::eq, {"web"}, between("2026-01-10", "2026-01-10")), (Ids{1}));
}

TEST_F(Fields, IntegersDecimalsAndTimestampsExactly) {
    const auto i = sp::ValueType::int64;
    EXPECT_EQ(number("i_n", i, Op::eq, {5}), (Ids{1, 5}));
    EXPECT_EQ(number("i_n", i, Op::ne, {5}), (Ids{2, 4, 6}));
    EXPECT_EQ(number("i_n", i, Op::lt, {0}), (Ids{2}));
    EXPECT_EQ(number("i_n", i, Op::le, {0}), (Ids{2, 6}));
    EXPECT_EQ(number("i_n", i, Op::gt, {5}), (Ids{4}));
    EXPECT_EQ(number("i_n", i, Op::ge, {5}), (Ids{1, 4, 5}));
    EXPECT_EQ(number("i_n", i, Op::in, {10, -3}), (Ids{2, 4}));

    const auto f = sp::ValueType::decimal;
    EXPECT_EQ(number("f_x", f, Op::gt, {1}), (Ids{1, 4}));
    EXPECT_EQ(number("f_x", f, Op::ge, {1}), (Ids{1, 2, 4}));
    EXPECT_EQ(number("f_x", f, Op::eq, {-1'500'000}), (Ids{5}));
    EXPECT_EQ(number("f_x", f, Op::eq, {kUnreachable}), Ids{});
    EXPECT_EQ(number("f_x", f, Op::ne, {kUnreachable}), (Ids{1, 2, 4, 5, 6}));
    EXPECT_EQ(number("f_x", f, Op::lt, {kUnreachable}), (Ids{1, 2, 4, 5, 6}));
    EXPECT_EQ(number("f_x", f, Op::gt, {-kUnreachable}), (Ids{1, 2, 4, 5, 6}));
    EXPECT_EQ(number("f_x", f, Op::gt, {kUnreachable}), Ids{});

    const auto d = sp::ValueType::timestamp;
    EXPECT_EQ(number("d_when", d, Op::eq, {at("2026-01-01")}), (Ids{1, 6}));
    EXPECT_EQ(number("d_when", d, Op::gt, {at("2026-01-01")}), (Ids{2, 5}));
    EXPECT_EQ(number("d_when", d, Op::lt, {at("2026-01-01")}), (Ids{4}));
}

TEST_F(Fields, AFieldNeverSeenMatchesNoLine) {
    EXPECT_EQ(data.ids(field_text("s_nope", Op::ne, {"x"}), kAsOf), Ids{});
    EXPECT_EQ(data.ids(not_(field_text("s_nope", Op::ne, {"x"})), kAsOf), (Ids{1, 2, 3, 4, 5, 6}));
}

TEST(FieldMatches, MissingValuesNeverMatch) {
    sg::FieldCondition c;
    c.type = sp::ValueType::int64;
    c.op = Op::ne;
    c.values = {{"", 1}};
    sp::Value missing;
    EXPECT_FALSE(field_matches(c, sp::ValueType::int64, missing));
    sp::Value two;
    two.present = true;
    two.i = 2;
    EXPECT_TRUE(field_matches(c, sp::ValueType::int64, two));
    c.op = Op::prefix;
    EXPECT_FALSE(field_matches(c, sp::ValueType::int64, two));
}

TEST(PathWithin, AtLevelBoundaries) {
    EXPECT_TRUE(path_within("Shoes", "Shoes"));
    EXPECT_TRUE(path_within("Shoes>Running", "Shoes"));
    EXPECT_TRUE(path_within("Shoes>Running>Trail", "Shoes>Running"));
    EXPECT_FALSE(path_within("Shoestrings", "Shoes"));
    EXPECT_FALSE(path_within("Shoe", "Shoes"));
    EXPECT_FALSE(path_within("Hats>Shoes", "Shoes"));
    EXPECT_FALSE(path_within("shoes", "Shoes"));
}

}  // namespace
}  // namespace sightline::evaluator_memory::testing
