// The report totals (report_totals.cpp) on a small fixture worked out by hand, on every
// configured backend; the parts not asked for stay empty; on a PostgreSQL server the greenplum
// dialect's SQL gives the same totals as the postgresql dialect's (target-greenplum stores the
// same tables, only its DDL differs); and money read back from numeric text exactly.
#include <algorithm>

#include "fixture.hpp"
#include "report_sql.hpp"
#include "report_totals.hpp"
#include "sql_evaluator.hpp"

namespace sightline::evaluator_sql::testing {
namespace {

namespace rp = sightline::plugin::report;

const char* const kCatalog =
    "item,category,title\n"
    "A,Shoes>Running|Sale,Runner\n"
    "B,Shoes>Trail,Trail shoe\n"
    "C,Bags,Bag\n";

// The range is [2026-03-01, 2026-03-08). Customer 1 bought before it and again at its first
// instant; 2 buys and refunds in full inside it; 2^64-1 buys C and D (not in the catalog) on its
// last day; 3 buys exactly at `to`: outside the range, but at or before `to` for the stages.
const char* const kSales =
    "order,timestamp,customer,item,price\n"
    "o1,2026-02-20T10:00:00Z,1,A,50\n"
    "o2,2026-03-01T00:00:00Z,1,A,40\n"
    "o2,2026-03-01T05:00:00Z,1,B,10\n"
    "o3,2026-03-03T12:00:00Z,2,B,25\n"
    "o3,2026-03-05T09:00:00Z,2,B,-25\n"
    "o4,2026-03-07T23:59:59Z,18446744073709551615,C,12.345\n"
    "o4,2026-03-07T23:59:59Z,18446744073709551615,D,7.655\n"
    "o5,2026-03-08T00:00:00Z,3,A,5\n";

constexpr int64_t kDayUs = 86'400'000'000;
constexpr uint32_t kAll = rp::kLines | rp::kOrders | rp::kStages | rp::kItems | rp::kCategories;

int64_t day(const std::string& date) { return us(date) / kDayUs; }
int64_t m(rp::Money money) { return static_cast<int64_t>(money); }  // small sums only

rp::Request march(uint32_t parts) {
    rp::Request r;
    r.tenant = "reports";
    r.from_us = us("2026-03-01");
    r.to_us = us("2026-03-08");
    r.parts = parts;
    return r;
}

// "name revenue buyers", sorted: the evaluator may return them in any order.
std::vector<std::string> rows(const std::vector<rp::Ranked>& ranked) {
    std::vector<std::string> out;
    for (const auto& r : ranked)
        out.push_back(r.name + " " + std::to_string(m(r.revenue)) + " " + std::to_string(r.buyers));
    std::sort(out.begin(), out.end());
    return out;
}

// Everything in the totals as text, for comparing two computations.
std::string text(const rp::Totals& t) {
    std::string out;
    for (const auto& d : t.lines)
        out += "L" + std::to_string(d.day) + ":" + std::to_string(m(d.gross)) + "," +
               std::to_string(m(d.returned)) + "," + std::to_string(d.lines) + "," +
               std::to_string(d.return_lines) + " ";
    for (const auto& d : t.orders)
        out += "O" + std::to_string(d.day) + ":" + std::to_string(d.orders) + "," +
               std::to_string(m(d.value)) + " ";
    for (const auto& row : t.stages)
        for (int64_t n : row) out += std::to_string(n) + ",";
    for (const auto& r : rows(t.items)) out += " I" + r;
    for (const auto& r : rows(t.categories)) out += " C" + r;
    return out;
}

class Reports : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        if (!GetParam().skip_reason.empty()) GTEST_SKIP() << GetParam().skip_reason;
        t_ = &tenant(GetParam(), "reports", {{"catalog.csv", kCatalog}, {"sales.csv", kSales}});
    }
    rp::Totals totals(uint32_t parts) { return evaluator_.report_totals(march(parts), *t_->store); }

    SqlEvaluator evaluator_;
    Tenant* t_ = nullptr;
};

TEST_P(Reports, HandComputedTotals) {
    ASSERT_TRUE(evaluator_.computes_reports());
    const rp::Totals t = totals(kAll);
    // Lines in the range per day: gross, returned, lines, return lines.
    ASSERT_EQ(t.lines.size(), 4u);
    EXPECT_EQ(t.lines[0].day, day("2026-03-01"));
    EXPECT_EQ(m(t.lines[0].gross), 50 * kUnit);
    EXPECT_EQ(t.lines[0].lines, 2);
    EXPECT_EQ(t.lines[1].day, day("2026-03-03"));
    EXPECT_EQ(t.lines[2].day, day("2026-03-05"));
    EXPECT_EQ(m(t.lines[2].returned), 25 * kUnit);
    EXPECT_EQ(t.lines[2].return_lines, 1);
    EXPECT_EQ(t.lines[3].day, day("2026-03-07"));
    EXPECT_EQ(m(t.lines[3].gross), 20 * kUnit);
    // Purchases in the range: o2 (50) on the first day, o4 (20) on the last; o3 nets 0, o1 is
    // older than the range.
    ASSERT_EQ(t.orders.size(), 2u);
    EXPECT_EQ(t.orders[0].day, day("2026-03-01"));
    EXPECT_EQ(t.orders[0].orders, 1);
    EXPECT_EQ(m(t.orders[0].value), 50 * kUnit);
    EXPECT_EQ(t.orders[1].day, day("2026-03-07"));
    EXPECT_EQ(m(t.orders[1].value), 20 * kUnit);
    // 1: active at from (o1, and o2's line at exactly `from`) and at to; 2: none -> none (only a
    // refunded order); 2^64-1 and 3: none -> first_time_buyer (3's line is exactly at `to`).
    rp::StageMatrix stages{};
    stages[2][2] = 1;
    stages[0][0] = 1;
    stages[0][1] = 2;
    EXPECT_EQ(t.stages, stages);
    EXPECT_EQ(rows(t.items), (std::vector<std::string>{"A 40000000 1", "B 10000000 2",
                                                       "C 12345000 1", "D 7655000 1"}));
    // A counts in Shoes>Running, Shoes and Sale; B in Shoes>Trail and Shoes (once each); D is in
    // no category.
    EXPECT_EQ(rows(t.categories),
              (std::vector<std::string>{"Bags 12345000 1", "Sale 40000000 1", "Shoes 50000000 2",
                                        "Shoes>Running 40000000 1", "Shoes>Trail 10000000 2"}));
}

TEST_P(Reports, OnlyThePartsAskedFor) {
    const rp::Totals t = totals(rp::kItems);
    EXPECT_EQ(t.items.size(), 4u);
    EXPECT_TRUE(t.lines.empty());
    EXPECT_TRUE(t.orders.empty());
    EXPECT_TRUE(t.categories.empty());
    EXPECT_EQ(t.stages, rp::StageMatrix{});
    const rp::Totals c = totals(rp::kCategories | rp::kOrders);
    EXPECT_EQ(c.categories.size(), 5u);
    EXPECT_EQ(c.orders.size(), 2u);
    EXPECT_TRUE(c.items.empty());
}

TEST_P(Reports, GreenplumSqlAgreesOnAPostgresServer) {
    if (GetParam().name != "postgres") GTEST_SKIP() << "needs target-postgres";
    for (const auto& [from, to] : {std::pair<std::string, std::string>{"2026-03-01", "2026-03-08"},
                                   {"2025-01-01", "2026-04-01"},
                                   {"2026-03-07T23:59:59Z", "2026-03-08T00:00:00.000001Z"}}) {
        rp::Request r = march(kAll);
        r.from_us = us(from);
        r.to_us = us(to);
        EXPECT_EQ(text(compute_report_totals(r, *t_->store, Dialect::greenplum)),
                  text(compute_report_totals(r, *t_->store, Dialect::postgresql)))
            << from << " to " << to;
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, Reports, ::testing::ValuesIn(backends()), backend_name);

// A result row of one text column, as the PostgreSQL family returns numeric sums.
class TextRow : public sp::SqlRow {
public:
    explicit TextRow(std::string text, bool null = false) : text_(std::move(text)), null_(null) {}
    size_t size() const override { return 1; }
    bool is_null(size_t) const override { return null_; }
    int64_t get_int64(size_t) const override { return 0; }
    std::string_view get_text(size_t) const override { return text_; }

private:
    std::string text_;
    bool null_;
};

std::string money_text(const std::string& numeric) {
    const rp::Money v = read_money(TextRow(numeric), 0, Dialect::postgresql);
    const bool negative = v < 0;
    unsigned __int128 u = negative ? -static_cast<unsigned __int128>(v) : v;
    std::string digits;
    do {
        digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
        u /= 10;
    } while (u != 0);
    return (negative ? "-" : "") + digits;
}

TEST(ReportMoney, ReadsNumericTextExactly) {
    EXPECT_EQ(money_text("12.5"), "12500000");
    EXPECT_EQ(money_text("-0.000001"), "-1");
    EXPECT_EQ(money_text("7"), "7000000");
    EXPECT_EQ(money_text("12.3456780000"), "12345678");  // trailing zeros beyond the scale
    // Beyond int64 millionths (9.2 * 10^12 units): 128 bits hold it.
    EXPECT_EQ(money_text("123456789012345678901.000001"), "123456789012345678901000001");
    EXPECT_EQ(read_money(TextRow("", true), 0, Dialect::postgresql), 0);  // a sum of no rows
    EXPECT_THROW(read_money(TextRow("1e5"), 0, Dialect::postgresql), sp::Error);
    EXPECT_THROW(read_money(TextRow("0.0000001"), 0, Dialect::postgresql), sp::Error);
}

}  // namespace
}  // namespace sightline::evaluator_sql::testing
