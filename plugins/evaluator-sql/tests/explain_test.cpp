// The plans of the compiled statements on a tenant with enough lines for the planner to care
// (20,000 lines, 2,000 customers, 200 items over two years): no correlated per-customer
// subquery anywhere, and the target's indexes where a good hand-written query would use them.
#include <cstdint>

#include "dialect_probe.hpp"
#include "fixture.hpp"
#include "sightline/core/timestamp.hpp"

namespace sightline::evaluator_sql::testing {
namespace {

using seg::FieldOp;
using seg::Stage;

const char* const kAsOf = "2026-01-31T12:00:00Z";

const std::string& big_sales() {
    static const std::string text = [] {
        std::string out = "order,timestamp,customer,item,price,s_channel\n";
        uint64_t state = 42;
        auto next = [&](uint64_t bound) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            return (state >> 33) % bound;
        };
        const int64_t end = us(kAsOf);
        const uint64_t span_s = 730 * 86'400;
        static const char* const channels[] = {"web", "app", "store", "phone-in"};
        for (int line = 0; line < 20'000; ++line) {
            const uint64_t customer = next(2'000) * 7'919 + 1;
            const int64_t ts = end - static_cast<int64_t>(next(span_s)) * 1'000'000;
            const uint64_t cents = next(20'000);
            const bool refund = next(20) == 0;
            out += "O" + std::to_string(line / 3) + "," + sightline::core::format_timestamp(ts) +
                   "," + std::to_string(customer) + ",sku-" + std::to_string(next(200)) + "," +
                   (refund ? "-" : "") + std::to_string(cents / 100) + "." +
                   std::to_string(cents % 100) + "," + channels[next(4)] + "\n";
        }
        return out;
    }();
    return text;
}

std::string big_catalog() {
    std::string out = "item,category\n";
    for (int i = 0; i < 200; ++i) {
        out += "sku-" + std::to_string(i) + ",Cat" + std::to_string(i % 10) + ">Sub" +
               std::to_string(i % 3) + "\n";
    }
    return out;
}

class Explain : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        if (!GetParam().skip_reason.empty()) GTEST_SKIP() << GetParam().skip_reason;
        t_ = &tenant(GetParam(), "big",
                     {{"catalog.csv", big_catalog()}, {"sales.csv", big_sales()}});
        input_.dialect = detect_dialect(*t_->store);
        input_.as_of_us = us(kAsOf);
        input_.custom_columns = t_->store->custom_columns();
    }

    // The plan of the compiled statement, one line per row.
    std::string plan(const seg::Rule& rule) {
        const CompiledQuery q = compile(rule, input_);
        EXPECT_FALSE(q.sql.empty());
        std::string out;
        t_->store->query((sqlite() ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + q.sql, q.values(),
                         [&](const sp::SqlRow& row) {
                             out += std::string(row.get_text(sqlite() ? 3 : 0)) + "\n";
                         });
        return out;
    }

    bool sqlite() const { return input_.dialect == Dialect::sqlite; }
    bool postgres() const { return input_.dialect == Dialect::postgresql; }

    // No per-customer subquery: SQLite says CORRELATED, PostgreSQL SubPlan.
    std::string flat(const seg::Rule& rule) {
        const std::string p = plan(rule);
        EXPECT_EQ(p.find(sqlite() ? "CORRELATED" : "SubPlan"), std::string::npos) << p;
        if (std::getenv("EVALUATOR_SQL_SHOW_PLANS")) std::printf("%s\n", p.c_str());
        return p;
    }
    void expect_uses(const std::string& p, const std::string& index) {
        // Greenplum's append-optimized column tables: no index check (pruning instead).
        if (!sqlite() && !postgres()) return;
        EXPECT_NE(p.find(index), std::string::npos) << "expected " << index << " in:\n" << p;
    }

    Tenant* t_ = nullptr;
    CompileInput input_;
};

TEST_P(Explain, NarrowWindowsUseTheTimeIndex) {
    expect_uses(flat(purchased(within(7))), "sale_lines_ts");
    expect_uses(flat(revenue(within(7), 10 * kUnit, {})), "sale_lines_ts");
    expect_uses(flat(field_text("s_channel", FieldOp::eq, {"web"}, within(7))), "sale_lines_ts");
    expect_uses(flat(purchased(between("2025-03-01", "2025-03-03"))), "sale_lines_ts");
}

TEST_P(Explain, ItemsUseTheItemIndex) {
    expect_uses(flat(purchased({}, {"sku-7"})), "sale_lines_item");
    expect_uses(flat(purchased({}, {"sku-7", "sku-8"}, {}, 2)), "sale_lines_item");
}

TEST_P(Explain, CategoriesUseThePathIndex) {
    const std::string p = flat(purchased({}, {}, {"Cat3"}));
    if (sqlite()) expect_uses(p, "catalog_categories_path");
}

TEST_P(Explain, PurchasesAreGroupedOnce) {
    // Grouped per order, then per customer: no subquery per customer.
    flat(orders(within(90), 2, {}));
    flat(orders(within(90), {}, 1));
    flat(last_purchase(30, {}));
    flat(first_purchase({}, 365));
    for (auto stage : {Stage::first_time_buyer, Stage::active, Stage::defecting, Stage::inactive}) {
        flat(lifecycle(stage));
    }
    // Several rules share one purchases CTE.
    const CompiledQuery q =
        compile(all({lifecycle(Stage::active), orders(within(30), 2, {})}), input_);
    EXPECT_EQ(q.sql.find("WITH purchases AS"), 0u) << q.sql;
    EXPECT_EQ(q.sql.find("WITH purchases AS", 1), std::string::npos) << q.sql;
    flat(all({lifecycle(Stage::active), orders(within(30), 2, {})}));
}

TEST_P(Explain, SetOperationsStayFlat) {
    flat(not_(purchased(within(90))));
    flat(all({revenue(within(730), 500 * kUnit, {}), not_(purchased(within(90)))}));
    flat(any({lifecycle(Stage::inactive), orders({}, {}, 0), revenue(within(30), {}, 0)}));
    flat(any({not_(purchased({}, {"sku-1"})), field_text("s_channel", FieldOp::prefix, {"ph"})}));
    flat(revenue({}, {}, 0));
    flat(field_text("s_channel", FieldOp::in, {"web", "app"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, Explain, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace sightline::evaluator_sql::testing
