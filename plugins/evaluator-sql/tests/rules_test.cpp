// Every rule kind on a small fixture whose expected ids are worked out by hand (comments give
// the reasoning), on every configured backend.
#include "dialect_probe.hpp"
#include "fixture.hpp"
#include "sql_evaluator.hpp"

namespace sightline::evaluator_sql::testing {
namespace {

using Ids = std::vector<uint64_t>;
using seg::FieldOp;
using seg::Stage;
using sp::ValueType;

// as_of = 2026-01-31T12:00:00Z. Cut-offs: 90 days -> 2025-11-02T12:00:00Z (a purchase exactly
// then is NOT within 90 days), 365 days -> 2025-01-31T12:00:00Z, 30 days -> 2026-01-01T12:00Z,
// 7 days -> 2026-01-24T12:00Z.
const char* const kAsOf = "2026-01-31T12:00:00Z";

// Purchases (orders with net total > 0 at as_of; time = earliest line):
//  1: A1 2026-01-20 (50), A2 2025-06-01 (20)            -> active
//  2: B1 2026-01-10 (30)                                 -> first_time_buyer
//  3: C1 2025-08-01 (100), A1 2025-07-01 (1) (A1 also names customer 1's order) -> defecting
//  4: D1 2024-06-01 (10)                                 -> inactive
//  5: E1 40 then refunded -40: net 0, no purchase        -> no stage
//  6: only a line after as_of                            -> not in the universe
//  MAX: G1 2026-01-30 (5)                                -> first_time_buyer
//  HALF: H1 2025-12-01 (200), H2 2025-12-02 (300)        -> active
//  0: I1 price 0: no purchase                            -> no stage
//  10: J1 -15 (a return only): no purchase               -> no stage
//  11: K1 2025-11-01 (80; its refund is after as_of), K2 2025-10-30T23:00 (10 + 10 on 11-05)
//      -> defecting, two purchases
//  12: L1 exactly 2025-11-02T12:00:00Z                   -> defecting (not within 90 days)
//  13: M1 one µs later                                   -> first_time_buyer
//  14: N1 exactly as_of (7); N2 one µs after as_of (ignored) -> first_time_buyer
const char* const kSales =
    "order,timestamp,customer,item,price,quantity,s_channel,i_units,f_discount,d_shipped\n"
    "A1,2026-01-20T10:00:00Z,1,sku-shoe,50.00,1,web,1,0.5,2026-01-22\n"
    "A2,2025-06-01T09:00:00Z,1,sku-book,20.00,1,store,2,,\n"
    "B1,2026-01-10T08:00:00Z,2,sku-trail,30.00,1,Web,3,1.25,2026-01-12T15:30:00Z\n"
    "C1,2025-08-01T00:00:00Z,3,sku-book,100.00,1,,10,-0.000001,\n"
    "A1,2025-07-01T00:00:00Z,3,sku-book,1.00,1,,,,\n"
    "D1,2024-06-01T00:00:00Z,4,sku-hat,10.00,1,web,1,0,2024-06-03\n"
    "E1,2026-01-15T00:00:00Z,5,sku-shoe,40.00,1,app,1,,\n"
    "E1,2026-01-16T00:00:00Z,5,sku-shoe,-40.00,-1,app,-1,,\n"
    "F1,2026-02-05T00:00:00Z,6,sku-shoe,99.00,1,web,100,,\n"
    "G1,2026-01-30T00:00:00Z,18446744073709551615,sku-lace,5.00,1,w\xC3\xA9"
    "b,5,0.1,\n"
    "H1,2025-12-01T00:00:00Z,9223372036854775808,sku-hat,200.00,1,web_store,,,\n"
    "H2,2025-12-02T00:00:00Z,9223372036854775808,sku-hat,300.00,1,,,,\n"
    "I1,2026-01-05T00:00:00Z,0,sku-free,0,1,,,,\n"
    "J1,2026-01-25T00:00:00Z,10,sku-book,-15.00,-1,we,,,\n"
    "K1,2025-11-01T00:00:00Z,11,sku-book,80.00,1,web,,,\n"
    "K1,2026-02-10T00:00:00Z,11,sku-book,-80.00,-1,,,,\n"
    "K2,2025-10-30T23:00:00Z,11,sku-shoe,10.00,1,,,,\n"
    "K2,2025-11-05T00:00:00Z,11,sku-shoe,10.00,1,,,,\n"
    "L1,2025-11-02T12:00:00Z,12,sku-hat,1.00,1,,,,\n"
    "M1,2025-11-02T12:00:00.000001Z,13,sku-hat,1.00,1,,,,\n"
    "N1,2026-01-31T12:00:00Z,14,sku-book,7.00,1,\xCE\xA9,-5,,\n"
    "N2,2026-01-31T12:00:00.000001Z,14,sku-book,1000,1,zzz,,,\n";

// sku-free is in no category.
const char* const kCatalog =
    "item,category\n"
    "sku-shoe,Shoes>Running|Sale\n"
    "sku-trail,Shoes>Trail\n"
    "sku-lace,Shoestrings\n"
    "sku-book,Books\n"
    "sku-hat,Accessories>Hats\n";

constexpr uint64_t MAX = kMaxId;
constexpr uint64_t HALF = kHalfId;
const Ids kUniverse = {0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, HALF, MAX};

class Rules : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        if (!GetParam().skip_reason.empty()) GTEST_SKIP() << GetParam().skip_reason;
        t_ = &tenant(GetParam(), "acme", {{"catalog.csv", kCatalog}, {"sales.csv", kSales}});
    }
    Ids eval(const seg::Rule& rule, const std::string& as_of = kAsOf) {
        return evaluate(*t_->store, rule, us(as_of));
    }
    Tenant* t_ = nullptr;
};

TEST_P(Rules, DetectsTheDialect) {
    const Dialect expected = GetParam().name == "sqlite"     ? Dialect::sqlite
                             : GetParam().name == "postgres" ? Dialect::postgresql
                                                             : Dialect::greenplum;
    EXPECT_EQ(detect_dialect(*t_->store), expected);
}

TEST_P(Rules, Purchased) {
    // Any line at or before as_of with price > 0 (not 0: price 0, not 10: a return, not 6).
    EXPECT_EQ(eval(purchased()), (Ids{1, 2, 3, 4, 5, 11, 12, 13, 14, HALF, MAX}));
    // 11 counts through K2's second line (11-05), though the order's time is 10-30; 12 is on the
    // boundary, 13 one µs inside; 5's refunded order still counts.
    EXPECT_EQ(eval(purchased(within(90))), (Ids{1, 2, 5, 11, 13, 14, HALF, MAX}));
    EXPECT_EQ(eval(purchased(between("2025-11-01", "2025-11-02"))), (Ids{11, 12, 13}));
    EXPECT_EQ(eval(purchased(between("2027-01-01", "2027-12-31"))), Ids{});
    EXPECT_EQ(eval(purchased({}, {}, {}, 2)), (Ids{1, 3, 11, HALF}));
}

TEST_P(Rules, PurchasedItemsAndCategories) {
    EXPECT_EQ(eval(purchased({}, {"sku-hat"})), (Ids{4, 12, 13, HALF}));
    EXPECT_EQ(eval(purchased({}, {"sku-hat"}, {}, 2)), Ids{HALF});
    EXPECT_EQ(eval(purchased({}, {"sku-hat", "sku-lace", "sku-hat"})), (Ids{4, 12, 13, HALF, MAX}));
    EXPECT_EQ(eval(purchased({}, {"sku-free"})), Ids{});  // price 0 only
    EXPECT_EQ(eval(purchased({}, {"SKU-HAT"})), Ids{});   // case-sensitive
    // "Shoes" is Shoes>Running and Shoes>Trail, not Shoestrings.
    EXPECT_EQ(eval(purchased({}, {}, {"Shoes"})), (Ids{1, 2, 5, 11}));
    EXPECT_EQ(eval(purchased({}, {}, {"Shoes>Running"})), (Ids{1, 5, 11}));
    EXPECT_EQ(eval(purchased({}, {}, {"Sale"})), (Ids{1, 5, 11}));
    EXPECT_EQ(eval(purchased({}, {}, {"Shoestrings"})), Ids{MAX});
    EXPECT_EQ(eval(purchased({}, {}, {"Shoes>Running>Trail"})), Ids{});
    EXPECT_EQ(eval(purchased({}, {}, {"Shoe"})), Ids{});
    EXPECT_EQ(eval(purchased({}, {}, {"Books", "Accessories"})),
              (Ids{1, 3, 4, 11, 12, 13, 14, HALF}));
    EXPECT_EQ(eval(purchased({}, {"sku-book"}, {"Books"})), (Ids{1, 3, 11, 14}));
    EXPECT_EQ(eval(purchased({}, {"sku-book"}, {"Shoes"})), Ids{});
    EXPECT_EQ(eval(purchased(within(30), {}, {"Shoes"})), (Ids{1, 2, 5}));
}

TEST_P(Rules, Orders) {
    EXPECT_EQ(eval(orders({}, 2, {})), (Ids{1, 3, 11, HALF}));
    EXPECT_EQ(eval(orders({}, {}, 0)), (Ids{0, 5, 10}));
    EXPECT_EQ(eval(orders({}, 0, {})), kUniverse);
    EXPECT_EQ(eval(orders({}, 1, 1)), (Ids{2, 4, 12, 13, 14, MAX}));
    EXPECT_EQ(eval(orders(within(90), 1, {})), (Ids{1, 2, 13, 14, HALF, MAX}));
    EXPECT_EQ(eval(orders(within(90), {}, 0)), (Ids{0, 3, 4, 5, 10, 11, 12}));
    EXPECT_EQ(eval(orders(within(90), 2, {})), Ids{HALF});
    // A purchase's time is its earliest line: K2 (10-30T23:00) and K1 (11-01) are both inside.
    EXPECT_EQ(eval(orders(between("2025-10-30", "2025-11-01"), 2, {})), Ids{11});
    EXPECT_EQ(eval(orders(between("2025-11-05", "2025-11-05"), 1, {})), Ids{});
    EXPECT_EQ(eval(orders(between("2027-01-01", "2027-01-02"), {}, 3)), kUniverse);
    EXPECT_EQ(eval(orders({}, 3, 2)), Ids{});
    // Later: K1 is refunded in full (no purchase), 14's N2 is a second purchase, 6 joins the
    // universe.
    EXPECT_EQ(eval(orders({}, 2, {}), "2026-03-01"), (Ids{1, 3, 14, HALF}));
    EXPECT_EQ(eval(orders({}, {}, 0), "2026-03-01"), (Ids{0, 5, 10}));
}

TEST_P(Rules, Revenue) {
    EXPECT_EQ(eval(revenue({}, 500 * kUnit, {})), Ids{HALF});
    EXPECT_EQ(eval(revenue({}, {}, 0)), (Ids{0, 5, 10}));
    EXPECT_EQ(eval(revenue({}, 100 * kUnit, 100 * kUnit)), Ids{11});    // 80 + 10 + 10
    EXPECT_EQ(eval(revenue({}, 100 * kUnit + 1, {})), (Ids{3, HALF}));  // 101 and 500
    EXPECT_EQ(eval(revenue(within(30), 10 * kUnit, {})), (Ids{1, 2}));
    // No line in the window is revenue 0, which is in range.
    EXPECT_EQ(eval(revenue(within(30), {}, 0)), (Ids{0, 3, 4, 5, 10, 11, 12, 13, HALF}));
    EXPECT_EQ(eval(revenue(within(30), -15 * kUnit, -15 * kUnit)), Ids{10});
    EXPECT_EQ(eval(revenue(between("2027-01-01", "2027-01-02"), -1, 1)), kUniverse);
    EXPECT_EQ(eval(revenue(between("2027-01-01", "2027-01-02"), 1, {})), Ids{});
    EXPECT_EQ(eval(revenue(within(730), 50 * kUnit, {})), (Ids{1, 3, 11, HALF}));
}

TEST_P(Rules, LastAndFirstPurchase) {
    EXPECT_EQ(eval(last_purchase(7, {})), (Ids{14, MAX}));
    EXPECT_EQ(eval(last_purchase({}, 365)), Ids{4});
    EXPECT_EQ(eval(last_purchase(365, 90)), (Ids{3, 11, 12}));  // 12 exactly 90 days old
    EXPECT_EQ(eval(last_purchase({}, 0)), (Ids{1, 2, 3, 4, 11, 12, 13, 14, HALF, MAX}));
    EXPECT_EQ(eval(first_purchase(30, {})), (Ids{2, 14, MAX}));
    EXPECT_EQ(eval(first_purchase({}, 200)), (Ids{1, 3, 4}));
    EXPECT_EQ(eval(first_purchase(10, 20)), Ids{});  // an empty range
}

TEST_P(Rules, Lifecycle) {
    EXPECT_EQ(eval(lifecycle(Stage::first_time_buyer)), (Ids{2, 13, 14, MAX}));
    EXPECT_EQ(eval(lifecycle(Stage::active)), (Ids{1, HALF}));
    EXPECT_EQ(eval(lifecycle(Stage::defecting)), (Ids{3, 11, 12}));
    EXPECT_EQ(eval(lifecycle(Stage::inactive)), Ids{4});
    // The tenant's thresholds: with 100 active days, 11 (11-01) and 12 become recent.
    EXPECT_EQ(evaluate(*t_->store, lifecycle(Stage::active), us(kAsOf), 100, 365),
              (Ids{1, 11, HALF}));
    EXPECT_EQ(evaluate(*t_->store, lifecycle(Stage::inactive), us(kAsOf), 90, 180), (Ids{3, 4}));
    EXPECT_EQ(evaluate(*t_->store, lifecycle(Stage::defecting), us(kAsOf), 90, 185),
              (Ids{3, 11, 12}));  // 3's latest (08-01) is 183.5 days old
    EXPECT_EQ(evaluate(*t_->store, lifecycle(Stage::defecting), us(kAsOf), 90, 180), (Ids{11, 12}));
}

TEST_P(Rules, StringFields) {
    const std::string s = "s_channel";
    EXPECT_EQ(eval(field_text(s, FieldOp::eq, {"web"})), (Ids{1, 4, 11}));  // not 6 (later)
    EXPECT_EQ(eval(field_text(s, FieldOp::eq, {"web"}, within(90))), Ids{1});
    // Present and different: 4 and 11 have only "web"; 3 has no value.
    EXPECT_EQ(eval(field_text(s, FieldOp::ne, {"web"})), (Ids{1, 2, 5, 10, 14, HALF, MAX}));
    // Literal, case-sensitive prefixes: not "Web", not "wéb".
    EXPECT_EQ(eval(field_text(s, FieldOp::prefix, {"we"})), (Ids{1, 4, 10, 11, HALF}));
    EXPECT_EQ(eval(field_text(s, FieldOp::prefix, {"w"})), (Ids{1, 4, 10, 11, HALF, MAX}));
    EXPECT_EQ(eval(field_text(s, FieldOp::prefix, {"w\xC3\xA9"})), Ids{MAX});
    EXPECT_EQ(eval(field_text(s, FieldOp::prefix, {""})), (Ids{1, 2, 4, 5, 10, 11, 14, HALF, MAX}));
    // Code point order: "Web" < "app" < "b" < "store" < "we" < "web" < "web_store" < "wéb" < "Ω".
    EXPECT_EQ(eval(field_text(s, FieldOp::gt, {"web"})), (Ids{14, HALF, MAX}));
    EXPECT_EQ(eval(field_text(s, FieldOp::ge, {"web"})), (Ids{1, 4, 11, 14, HALF, MAX}));
    EXPECT_EQ(eval(field_text(s, FieldOp::lt, {"b"})), (Ids{2, 5}));
    EXPECT_EQ(eval(field_text(s, FieldOp::le, {"app"})), (Ids{2, 5}));
    EXPECT_EQ(eval(field_text(s, FieldOp::in, {"app", "\xCE\xA9", "nope", "app"})), (Ids{5, 14}));
}

TEST_P(Rules, NumberFields) {
    EXPECT_EQ(eval(field_number("i_units", ValueType::int64, FieldOp::eq, {1})), (Ids{1, 4, 5}));
    EXPECT_EQ(eval(field_number("i_units", ValueType::int64, FieldOp::ge, {5})), (Ids{3, MAX}));
    EXPECT_EQ(eval(field_number("i_units", ValueType::int64, FieldOp::lt, {0})), (Ids{5, 14}));
    EXPECT_EQ(eval(field_number("i_units", ValueType::int64, FieldOp::in, {2, 3, 100})),
              (Ids{1, 2}));
    EXPECT_EQ(eval(field_number("i_units", ValueType::int64, FieldOp::ne, {1})),
              (Ids{1, 2, 3, 5, 14, MAX}));
    const auto dec = ValueType::decimal;
    EXPECT_EQ(eval(field_number("f_discount", dec, FieldOp::gt, {0})), (Ids{1, 2, MAX}));
    EXPECT_EQ(eval(field_number("f_discount", dec, FieldOp::lt, {0})), Ids{3});
    EXPECT_EQ(eval(field_number("f_discount", dec, FieldOp::eq, {1'250'000})), Ids{2});
    EXPECT_EQ(eval(field_number("f_discount", dec, FieldOp::ge, {-1})), (Ids{1, 2, 3, 4, MAX}));
    EXPECT_EQ(eval(field_number("f_discount", dec, FieldOp::eq, {seg::kUnreachableDecimal})),
              Ids{});
    EXPECT_EQ(eval(field_number("f_discount", dec, FieldOp::lt, {seg::kUnreachableDecimal})),
              (Ids{1, 2, 3, 4, MAX}));
    EXPECT_EQ(eval(field_number("f_discount", dec, FieldOp::gt, {-seg::kUnreachableDecimal})),
              (Ids{1, 2, 3, 4, MAX}));
    const auto ts = ValueType::timestamp;
    EXPECT_EQ(eval(field_number("d_shipped", ts, FieldOp::ge, {us("2026-01-12T15:30:00Z")})),
              (Ids{1, 2}));
    EXPECT_EQ(eval(field_number("d_shipped", ts, FieldOp::gt, {us("2026-01-12T15:30:00Z")})),
              Ids{1});
    EXPECT_EQ(eval(field_number("d_shipped", ts, FieldOp::lt, {us("2025-01-01")})), Ids{4});
    EXPECT_EQ(eval(field_number("d_shipped", ts, FieldOp::eq, {us("2026-01-22")})), Ids{1});
    EXPECT_EQ(eval(field_number("d_shipped", ts, FieldOp::lt, {us("0001-01-01")})), Ids{});
}

TEST_P(Rules, UnknownFieldsMatchNoLine) {
    const auto unknown = field_text("s_nope", FieldOp::eq, {"web"});
    const auto result = evaluate_full(*t_->store, unknown, us(kAsOf));
    EXPECT_EQ(result.customers, Ids{});
    EXPECT_TRUE(result.warnings.empty());  // the host names the field
    EXPECT_EQ(eval(not_(unknown)), kUniverse);
    EXPECT_EQ(eval(any({unknown, lifecycle(Stage::inactive)})), Ids{4});
    EXPECT_EQ(eval(all({unknown, lifecycle(Stage::inactive)})), Ids{});
    // A known field with a type it does not have matches nothing, with a warning.
    auto wrong = field_text("i_units", FieldOp::eq, {"1"});
    const auto mismatch = evaluate_full(*t_->store, wrong, us(kAsOf));
    EXPECT_EQ(mismatch.customers, Ids{});
    EXPECT_EQ(mismatch.warnings.size(), 1u);
}

TEST_P(Rules, Combinations) {
    EXPECT_EQ(eval(not_(purchased(within(90)))), (Ids{0, 3, 4, 10, 12}));
    EXPECT_EQ(eval(not_(not_(purchased(within(90))))), (Ids{1, 2, 5, 11, 13, 14, HALF, MAX}));
    // The spec's example: spent 50+ in two years, nothing in the last 90 days.
    EXPECT_EQ(eval(all({revenue(within(730), 50 * kUnit, {}), not_(purchased(within(90)))})),
              Ids{3});
    EXPECT_EQ(eval(any({lifecycle(Stage::inactive), orders({}, {}, 0)})), (Ids{0, 4, 5, 10}));
    EXPECT_EQ(eval(any({not_(lifecycle(Stage::active)), purchased({}, {"sku-hat"})})),
              (Ids{0, 2, 3, 4, 5, 10, 11, 12, 13, 14, HALF, MAX}));
    EXPECT_EQ(eval(all({not_(lifecycle(Stage::active)), not_(lifecycle(Stage::first_time_buyer))})),
              (Ids{0, 3, 4, 5, 10, 11, 12}));
    EXPECT_EQ(eval(not_(orders({}, {}, 0))), (Ids{1, 2, 3, 4, 11, 12, 13, 14, HALF, MAX}));
    EXPECT_EQ(eval(all({orders({}, {}, 0), revenue({}, {}, 0)})), (Ids{0, 5, 10}));
    EXPECT_EQ(eval(any({orders({}, {}, 0), revenue(within(30), {}, 0)})),
              (Ids{0, 3, 4, 5, 10, 11, 12, 13, HALF}));
    EXPECT_EQ(eval(all({purchased(), lifecycle(Stage::active), revenue({}, 100 * kUnit, {})})),
              Ids{HALF});
    EXPECT_EQ(eval(any({lifecycle(Stage::active), lifecycle(Stage::inactive),
                        field_text("s_channel", FieldOp::eq, {"app"})})),
              (Ids{1, 4, 5, HALF}));
    EXPECT_EQ(eval(all({any({lifecycle(Stage::active), lifecycle(Stage::defecting)}),
                        not_(any({purchased({}, {}, {"Books"}), orders({}, 2, {})}))})),
              (Ids{12}));
    EXPECT_EQ(eval(any({not_(purchased()), not_(orders({}, 1, {}))})), (Ids{0, 5, 10}));
    EXPECT_EQ(eval(all({lifecycle(Stage::active), not_(lifecycle(Stage::active))})), Ids{});
    EXPECT_EQ(eval(any({lifecycle(Stage::active), not_(lifecycle(Stage::active))})), kUniverse);
}

// Regression (differential test, seed 20261129, cases 640, 790, 1456): sub-rules simplified to
// the universe or the empty set left their parameters in the statement's list, which then failed
// ("the statement has 3 parameters; got 4 values" on SQLite, "could not determine data type of
// parameter $1" on PostgreSQL).
TEST_P(Rules, SimplifiedSubRulesDropTheirParameters) {
    const auto later = between("2027-01-01", "2027-01-02");  // after as_of: an empty window
    const auto units = [](FieldOp op, int64_t v, seg::Window w = {}) {
        return field_number("i_units", ValueType::int64, op, {v}, w);
    };
    // Nobody has a purchase in an empty window: 0 <= 5, so everyone (an `any` with the universe).
    EXPECT_EQ(eval(any({last_purchase(7, {}), units(FieldOp::ne, 0),
                        any({orders(later, {}, 5), lifecycle(Stage::inactive)})})),
              kUniverse);
    EXPECT_EQ(eval(any({lifecycle(Stage::active), orders(later, {}, 3)})), kUniverse);
    // Nobody has 1 or more there (an `all` with the empty set): only the hat buyers remain.
    EXPECT_EQ(
        eval(any({purchased({}, {"sku-hat"}), all({units(FieldOp::ge, 5), orders(later, 1, {})})})),
        (Ids{4, 12, 13, HALF}));
    // orders min 0 is everyone; not it is nobody, and so is the all; not that is everyone.
    EXPECT_EQ(
        eval(not_(all({units(FieldOp::eq, 100, within(7)), not_(orders(within(730), 0, {}))}))),
        kUniverse);
    // The revenue rule goes with its window and bound; lifecycle keeps its own.
    EXPECT_EQ(eval(all({lifecycle(Stage::inactive),
                        any({revenue(within(30), 10 * kUnit, {}), orders({}, 0, {})})})),
              Ids{4});
}

TEST_P(Rules, AsOfHidesLaterLines) {
    // At 2025-01-01 only 4 exists; at the epoch nobody.
    EXPECT_EQ(eval(not_(purchased({}, {"nothing"})), "2025-01-01"), Ids{4});
    EXPECT_EQ(eval(lifecycle(Stage::defecting), "2025-01-01"), Ids{4});
    EXPECT_EQ(eval(not_(purchased({}, {"nothing"})), "1970-01-01"), Ids{});
    // After everything: 6 and its channel appear, 14's later line too.
    EXPECT_EQ(eval(field_text("s_channel", FieldOp::eq, {"web"}), "2026-03-01"),
              (Ids{1, 4, 6, 11}));
    EXPECT_EQ(eval(field_text("s_channel", FieldOp::eq, {"zzz"}), "2026-03-01"), Ids{14});
}

INSTANTIATE_TEST_SUITE_P(Backends, Rules, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace sightline::evaluator_sql::testing
