// Not a test: times the evaluator on an existing tenant, one rule shape per line.
//   evaluator_sql_bench '<target section YAML>' TENANT AS_OF [SHAPE...]
// e.g. evaluator_sql_bench '{plugin: target-sqlite, config: {dir: /tmp/db}}' bench
//      2026-09-30T00:00:00Z
// Prints the shape, the number of customers, the time of each of three runs, and the SQL.
#include <chrono>
#include <cstdio>

#include "dialect_probe.hpp"
#include "fixture.hpp"

namespace et = sightline::evaluator_sql::testing;
namespace seg = sightline::plugin::segment;

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s TARGET_YAML TENANT AS_OF [SHAPE...]\n", argv[0]);
        return 2;
    }
    const std::string tenant = argv[2];
    sightline::testing::Harness harness(
        std::string("version: 1\narchive: {plugin: archive-fs, config: {root: \"{dir}/a\"}}\n"
                    "target: ") +
            argv[1] + "\ntenants: [{id: " + tenant + "}]\n",
        {SIGHTLINE_BUILD_PLUGIN_DIR});
    auto store = harness.target().open(tenant);
    const int64_t as_of = et::us(argv[3]);
    using seg::FieldOp;
    using seg::Stage;
    const std::vector<std::pair<std::string, seg::Rule>> shapes = {
        {"universe", et::not_(et::field_text("s_none", FieldOp::eq, {"x"}))},
        {"purchased_90", et::purchased(et::within(90))},
        {"purchased_items", et::purchased({}, {"SH-545919", "SH-545920"})},
        {"purchased_category", et::purchased(et::within(365), {}, {"Shoes>Running"})},
        {"not_purchased_90", et::not_(et::purchased(et::within(90)))},
        {"orders_min2_365", et::orders(et::within(365), 2, {})},
        {"orders_max0_90", et::orders(et::within(90), {}, 0)},
        {"revenue_730_min500", et::revenue(et::within(730), 500 * et::kUnit, {})},
        {"revenue_all_max0", et::revenue({}, {}, 0)},
        {"last_purchase_30", et::last_purchase(30, {})},
        {"first_purchase_before180", et::first_purchase({}, 180)},
        {"lifecycle_active", et::lifecycle(Stage::active)},
        {"lifecycle_defecting", et::lifecycle(Stage::defecting)},
        {"field_in", et::field_text("s_channel", FieldOp::in, {"web", "app"})},
        {"field_prefix_30", et::field_text("s_channel", FieldOp::prefix, {"we"}, et::within(30))},
        {"lapsed_vip", et::all({et::revenue(et::within(730), 500 * et::kUnit, {}),
                                et::not_(et::purchased(et::within(90)))})},
        {"active_or_new",
         et::any({et::lifecycle(Stage::active), et::lifecycle(Stage::first_time_buyer)})},
    };
    sightline::evaluator_sql::CompileInput input;
    input.dialect = sightline::evaluator_sql::detect_dialect(*store);
    input.as_of_us = as_of;
    input.custom_columns = store->custom_columns();
    for (const auto& [name, rule] : shapes) {
        bool wanted = argc == 4;
        for (int i = 4; i < argc; ++i) wanted |= name == argv[i];
        if (!wanted) continue;
        size_t n = 0;
        std::string times;
        for (int run = 0; run < 3; ++run) {
            const auto start = std::chrono::steady_clock::now();
            n = et::evaluate(*store, rule, as_of).size();
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - start)
                                .count();
            times += " " + std::to_string(ms);
        }
        std::printf("%-26s %8zu ids, ms:%s\n    %s\n", name.c_str(), n, times.c_str(),
                    sightline::evaluator_sql::compile(rule, input).sql.c_str());
        std::fflush(stdout);
    }
    return 0;
}
