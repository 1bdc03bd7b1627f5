// sightline_segment_benchmark: evaluator-columnar and evaluator-sql side by side, and
// evaluator-sql against a hand-written, indexed SQL query computing the same set, on the same
// database in the same run, for 10 representative definitions on a generated tenant of 1M lines
// (SQLite, and PostgreSQL when a DSN is given). Also times evaluator-memory for information, and
// evaluator-columnar's snapshot: built from scratch against the plain scan it reads, and opened
// from its file by a fresh runtime. Every result is compared id for id: a faster answer that
// computed something else would make the ratio meaningless. See docs/benchmarks.md.
#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <iostream>
#include <random>

#include "../segments/segment_data.hpp"
#include "bench_util.hpp"
#include "sightline/core/runtime.hpp"
#include "sightline/core/segment_definition.hpp"
#include "sightline/core/timestamp.hpp"

extern "C" const char* __lsan_default_suppressions() { return "leak:libpqxx-6.4.so\n"; }

namespace sightline::bench {
namespace {

namespace po = boost::program_options;
using segtest::kBaseUs;
constexpr int64_t kDay = 86'400'000'000;

// A parameter of a hand-written query: an instant, a number in the column's encoding, or text.
struct Param {
    char kind;  // 'T' instant, 'N' number (SQLite: millionths for money), 'S' text
    int64_t value = 0;
    std::string text;
};

struct Case {
    std::string name;
    std::string rule;  // the definition's rule, JSON
    std::string sqlite_sql, pg_sql;
    std::vector<Param> sqlite_params, pg_params;
};

Param T(int64_t us) { return {'T', us, ""}; }
Param N(int64_t v) { return {'N', v, ""}; }
Param S(const std::string& s) { return {'S', 0, s}; }

// Purchases: orders with a positive net total over the lines at or before as_of, with the time
// of their earliest line. Written as a person would, once per dialect.
const char* kPurchasesSqlite =
    "WITH p AS (SELECT customer, min(ts) AS t FROM sale_lines WHERE ts <= ?1 "
    "GROUP BY customer, order_id HAVING sum(price) > 0) ";
const char* kPurchasesPg =
    "WITH p AS (SELECT customer, min(ts) AS t FROM sale_lines WHERE ts <= $1::timestamptz "
    "GROUP BY customer, order_id HAVING sum(price) > 0) ";

std::vector<Case> cases() {
    const int64_t A = kBaseUs;
    std::vector<Case> out;
    out.push_back({"recent buyers (purchased, 90 days)",
                   R"({"purchased":{"within_days":90}})",
                   "SELECT DISTINCT customer FROM sale_lines WHERE ts >= ?1 AND ts <= ?2 AND "
                   "price > 0 ORDER BY customer",
                   "SELECT DISTINCT customer FROM sale_lines WHERE ts >= $1::timestamptz AND ts "
                   "<= $2::timestamptz AND price > 0 ORDER BY customer",
                   {T(A - 90 * kDay + 1), T(A)},
                   {T(A - 90 * kDay + 1), T(A)}});
    out.push_back({"item buyers (2 items, 365 days)",
                   R"({"purchased":{"within_days":365,"items":["A","H"]}})",
                   "SELECT DISTINCT customer FROM sale_lines WHERE ts >= ?1 AND ts <= ?2 AND "
                   "price > 0 AND item IN (?3, ?4) ORDER BY customer",
                   "SELECT DISTINCT customer FROM sale_lines WHERE ts >= $1::timestamptz AND ts "
                   "<= $2::timestamptz AND price > 0 AND item IN ($3, $4) ORDER BY customer",
                   {T(A - 365 * kDay + 1), T(A), S("A"), S("H")},
                   {T(A - 365 * kDay + 1), T(A), S("A"), S("H")}});
    out.push_back({"category buyers (Shoes and below)",
                   R"({"purchased":{"categories":["Shoes"]}})",
                   "SELECT DISTINCT customer FROM sale_lines WHERE ts <= ?1 AND price > 0 AND "
                   "item IN (SELECT item FROM catalog_categories WHERE path = ?2 OR (path >= ?3 "
                   "AND path < ?4)) ORDER BY customer",
                   "SELECT DISTINCT customer FROM sale_lines WHERE ts <= $1::timestamptz AND "
                   "price > 0 AND item IN (SELECT item FROM catalog_categories WHERE path = $2 "
                   "OR starts_with(path, $3)) ORDER BY customer",
                   {T(A), S("Shoes"), S("Shoes>"), S("Shoes?")},
                   {T(A), S("Shoes"), S("Shoes>")}});
    out.push_back({"repeat buyers (orders >= 3)",
                   R"({"orders":{"min":3}})",
                   std::string(kPurchasesSqlite) +
                       "SELECT customer FROM p GROUP BY customer HAVING count(*) >= ?2 ORDER BY "
                       "customer",
                   std::string(kPurchasesPg) +
                       "SELECT customer FROM p GROUP BY customer HAVING count(*) >= $2 ORDER BY "
                       "customer",
                   {T(A), N(3)},
                   {T(A), N(3)}});
    out.push_back({"big spenders (revenue >= 500, 730 days)",
                   R"({"revenue":{"within_days":730,"min":500}})",
                   "SELECT customer FROM sale_lines WHERE ts >= ?1 AND ts <= ?2 GROUP BY customer "
                   "HAVING sum(price) >= ?3 ORDER BY customer",
                   "SELECT customer FROM sale_lines WHERE ts >= $1::timestamptz AND ts <= "
                   "$2::timestamptz GROUP BY customer HAVING sum(price) >= $3::numeric ORDER BY "
                   "customer",
                   {T(A - 730 * kDay + 1), T(A), N(500'000'000)},
                   {T(A - 730 * kDay + 1), T(A), S("500")}});
    out.push_back({"last purchase within 30 days",
                   R"({"last_purchase":{"within_days":30}})",
                   std::string(kPurchasesSqlite) +
                       "SELECT customer FROM p GROUP BY customer HAVING max(t) >= ?2 ORDER BY "
                       "customer",
                   std::string(kPurchasesPg) +
                       "SELECT customer FROM p GROUP BY customer HAVING max(t) >= "
                       "$2::timestamptz ORDER BY customer",
                   {T(A), T(A - 30 * kDay + 1)},
                   {T(A), T(A - 30 * kDay + 1)}});
    out.push_back({"first purchase over a year ago",
                   R"({"first_purchase":{"before_days":365}})",
                   std::string(kPurchasesSqlite) +
                       "SELECT customer FROM p GROUP BY customer HAVING min(t) <= ?2 ORDER BY "
                       "customer",
                   std::string(kPurchasesPg) +
                       "SELECT customer FROM p GROUP BY customer HAVING min(t) <= "
                       "$2::timestamptz ORDER BY customer",
                   {T(A), T(A - 365 * kDay)},
                   {T(A), T(A - 365 * kDay)}});
    out.push_back({"lifecycle active",
                   R"({"lifecycle":"active"})",
                   std::string(kPurchasesSqlite) +
                       "SELECT customer FROM p GROUP BY customer HAVING count(*) > 1 AND max(t) "
                       ">= ?2 ORDER BY customer",
                   std::string(kPurchasesPg) +
                       "SELECT customer FROM p GROUP BY customer HAVING count(*) > 1 AND max(t) "
                       ">= $2::timestamptz ORDER BY customer",
                   {T(A), T(A - 90 * kDay + 1)},
                   {T(A), T(A - 90 * kDay + 1)}});
    out.push_back({"channel web (field eq, 90 days)",
                   R"({"field":{"name":"s_channel","op":"eq","value":"web","within_days":90}})",
                   "SELECT DISTINCT customer FROM sale_lines WHERE ts >= ?1 AND ts <= ?2 AND "
                   "s_channel = ?3 ORDER BY customer",
                   "SELECT DISTINCT customer FROM sale_lines WHERE ts >= $1::timestamptz AND ts "
                   "<= $2::timestamptz AND s_channel = $3 ORDER BY customer",
                   {T(A - 90 * kDay + 1), T(A), S("web")},
                   {T(A - 90 * kDay + 1), T(A), S("web")}});
    out.push_back(
        {"lapsed VIPs (revenue 730 days, not purchased 90)",
         R"({"all":[{"revenue":{"within_days":730,"min":500}},{"not":{"purchased":{"within_days":90}}}]})",
         "SELECT customer FROM sale_lines WHERE ts >= ?1 AND ts <= ?2 GROUP BY customer HAVING "
         "sum(price) >= ?3 EXCEPT SELECT customer FROM sale_lines WHERE ts >= ?4 AND ts <= ?2 "
         "AND price > 0 ORDER BY customer",
         "SELECT customer FROM sale_lines WHERE ts >= $1::timestamptz AND ts <= $2::timestamptz "
         "GROUP BY customer HAVING sum(price) >= $3::numeric EXCEPT SELECT customer FROM "
         "sale_lines WHERE ts >= $4::timestamptz AND ts <= $2::timestamptz AND price > 0 ORDER "
         "BY customer",
         {T(A - 730 * kDay + 1), T(A), N(500'000'000), T(A - 90 * kDay + 1)},
         {T(A - 730 * kDay + 1), T(A), S("500"), T(A - 90 * kDay + 1)}});
    return out;
}

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

struct Timed {
    std::vector<double> ms;
    std::vector<uint64_t> ids;
};

class Target {
public:
    Target(const std::string& name, const std::string& profile, const std::string& plugin_dir)
        : name_(name), runtime_(profile, plugin_dir) {}
    core::Runtime& runtime() { return runtime_; }
    const std::string& name() const { return name_; }
    bool sqlite() { return runtime_.target().dialect() == "sqlite"; }

    Timed hand_written(plugin::TenantStore& store, const Case& c, int runs) {
        const bool lite = sqlite();
        const auto& spec = lite ? c.sqlite_params : c.pg_params;
        std::vector<std::string> texts;
        for (const auto& p : spec)
            texts.push_back(p.kind == 'S'            ? p.text
                            : p.kind == 'T' && !lite ? core::format_timestamp(p.value)
                                                     : std::to_string(p.value));
        std::vector<plugin::Value> params;
        for (size_t i = 0; i < spec.size(); ++i) {
            plugin::Value v;
            v.present = true;
            if (spec[i].kind == 'S' || (spec[i].kind == 'T' && !lite))
                v.s = texts[i];
            else
                v.i = spec[i].value;
            params.push_back(v);
        }
        Timed out;
        for (int r = 0; r < runs; ++r) {
            std::vector<uint64_t> ids;
            const auto started = Clock::now();
            store.query(lite ? c.sqlite_sql : c.pg_sql, params, [&](const plugin::SqlRow& row) {
                const auto bits = static_cast<uint64_t>(row.get_int64(0));
                ids.push_back(lite ? bits ^ (uint64_t{1} << 63) : bits);
            });
            out.ms.push_back(ms_since(started));
            out.ids = std::move(ids);
        }
        return out;
    }

    Timed evaluator(plugin::TenantStore& store, const std::string& id, const Case& c, int runs) {
        const std::string text = "{\"id\":\"b\",\"name\":\"b\",\"rule\":" + c.rule + "}";
        const auto parsed = core::parse_definition(text, core::DefinitionFormat::json);
        if (!parsed.definition) throw BenchError("definition of '" + c.name + "' is invalid");
        plugin::Evaluator* e = nullptr;
        for (const auto& plugin : runtime_.evaluators())
            if (plugin.id == id) e = plugin.evaluator;
        if (!e) throw BenchError("the profile has no evaluator " + id);
        plugin::EvaluationRequest request;
        request.rule = &parsed.definition->rule;
        request.as_of_us = kBaseUs;
        request.tenant = "bench";
        Timed out;
        for (int r = 0; r < runs; ++r) {
            const auto started = Clock::now();
            auto result = e->evaluate(request, store);
            out.ms.push_back(ms_since(started));
            out.ids = std::move(result.customers);
        }
        return out;
    }

private:
    std::string name_;
    core::Runtime runtime_;
};

struct SnapshotTimes {
    double scan_ms = 0;   // one plain scan of every line (what a build reads)
    double build_ms = 0;  // evaluator-columnar's first answer: build from scratch, then one rule
    double open_ms = 0;   // a new runtime's first answer: open the file, then one rule
};

// The snapshot's costs, each measured as "first answer minus a warm answer" of one cheap rule,
// so that the rule's own time is not counted.
SnapshotTimes snapshot_times(Target& target, plugin::TenantStore& store, const std::string& profile,
                             const std::string& plugin_dir) {
    const Case cheap{"cheap", R"({"lifecycle":"active"})", "", "", {}, {}};
    SnapshotTimes t;
    auto started = Clock::now();
    plugin::SalesScan scan;
    uint64_t lines = 0;
    store.scan_sales_after(0, scan, [&](const plugin::Value*) { ++lines; });
    t.scan_ms = ms_since(started);
    const double first = target.evaluator(store, "evaluator-columnar", cheap, 1).ms[0];
    const double warm = target.evaluator(store, "evaluator-columnar", cheap, 1).ms[0];
    t.build_ms = first - warm;
    Target fresh("again", profile, plugin_dir);
    auto again = fresh.runtime().target().open("bench");
    t.open_ms = fresh.evaluator(*again, "evaluator-columnar", cheap, 1).ms[0] - warm;
    std::cerr << "  scanned " << with_commas(lines) << " lines\n";
    return t;
}

std::string profile_text(const Workspace& w, const std::string& target_yaml) {
    return "version: 1\nstate_dir: " + yaml_quote((w.root() / "state").string()) +
           "\nlog: {level: warn}\narchive: {plugin: archive-fs, config: {root: " +
           yaml_quote((w.root() / "archive").string()) + "}}\ntarget: " + target_yaml +
           "\nevaluators: [{plugin: evaluator-columnar}, {plugin: evaluator-sql}, "
           "{plugin: evaluator-memory}]\n"
           "tenants: [{id: bench}]\n";
}

void load(core::Runtime& runtime, const fs::path& file) {
    core::LoadRequest request;
    request.tenant = "bench";
    request.path = file.string();
    const auto started = Clock::now();
    const auto report = runtime.pipeline().process(request);
    if (report.outcome != plugin::UploadOutcome::loaded)
        throw BenchError("loading " + file.string() + " failed: " + report.message);
    std::cerr << "  loaded " << file.filename().string() << " (" << report.record.rows
              << " rows) in " << fmt("%.1f", ms_since(started) / 1000) << " s\n";
}

}  // namespace
}  // namespace sightline::bench

int main(int argc, char** argv) {
    using namespace sightline::bench;
    namespace po = boost::program_options;
    po::options_description options(
        "sightline_segment_benchmark: evaluator-columnar and evaluator-sql side by side, and "
        "evaluator-sql against hand-written SQL (docs/benchmarks.md)");
    options.add_options()("help", "this help")(
        "lines", po::value<uint64_t>()->default_value(1'000'000), "approximate sales lines")(
        "runs", po::value<int>()->default_value(5), "timed runs per query (median reported)")(
        "pg-dsn", po::value<std::string>()->default_value(""),
        "PostgreSQL admin DSN (default: $SIGHTLINE_POSTGRES_DSN; empty: SQLite only)")(
        "sqlite-only", "skip PostgreSQL")("memory", "also time evaluator-memory (for information)")(
        "plugin-dir", po::value<std::string>()->default_value(""),
        "plugin folder (default: ../lib/sightline/plugins beside this program)")(
        "keep", "keep the workspace");
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, options), vm);
        po::notify(vm);
    } catch (const std::exception& e) {
        std::cerr << "sightline_segment_benchmark: " << e.what() << "\n";
        return 2;
    }
    if (vm.count("help")) {
        std::cout << options << "\n";
        return 0;
    }
    try {
        const int runs = vm["runs"].as<int>();
        std::string plugin_dir = vm["plugin-dir"].as<std::string>();
        if (plugin_dir.empty()) plugin_dir = self_dir() + "/../lib/sightline/plugins";
        std::string dsn = vm["pg-dsn"].as<std::string>();
        if (dsn.empty() && ::getenv("SIGHTLINE_POSTGRES_DSN"))
            dsn = ::getenv("SIGHTLINE_POSTGRES_DSN");
        if (vm.count("sqlite-only")) dsn.clear();

        Workspace w(vm.count("keep") > 0);
        const int customers = static_cast<int>(vm["lines"].as<uint64_t>() * 10 / 63);
        std::cerr << "generating about " << with_commas(vm["lines"].as<uint64_t>())
                  << " lines...\n";
        {
            const auto data = sightline::segtest::make_dataset(20261129, customers);
            write_text(w.root() / "catalog.csv", data.catalog_csv);
            write_text(w.root() / "sales.csv", data.sales_csv);
            std::cerr << "  " << with_commas(data.lines) << " lines, "
                      << with_commas(static_cast<uint64_t>(customers)) << " customers\n";
        }
        std::vector<std::pair<std::string, std::string>> targets = {
            {"SQLite", "{plugin: target-sqlite, config: {dir: " +
                           yaml_quote((w.root() / "db").string()) + "}}"}};
        std::random_device random;
        const std::string prefix = "sl_segbench" + std::to_string(random() % 100000) + "_";
        if (!dsn.empty())
            targets.push_back(
                {"PostgreSQL", "{plugin: target-postgres, config: {admin_dsn: " + yaml_quote(dsn) +
                                   ", database_prefix: " + prefix + "}}"});

        std::cout << "# evaluator-columnar and evaluator-sql, and evaluator-sql against "
                     "hand-written SQL, "
                  << runs << " runs each (median ms); machine: " << cpu_model() << ", " << utc_now()
                  << "\n";
        for (const auto& [name, yaml] : targets) {
            const fs::path profile = w.root() / (name + ".yaml");
            write_text(profile, profile_text(w, yaml));
            Target target(name, profile.string(), plugin_dir);
            std::cerr << name << ":\n";
            load(target.runtime(), w.root() / "catalog.csv");
            load(target.runtime(), w.root() / "sales.csv");
            auto store = target.runtime().target().open("bench");
            const SnapshotTimes snap = snapshot_times(target, *store, profile.string(), plugin_dir);
            std::cout << "\n## " << name << "\n\nevaluator-columnar snapshot: plain scan "
                      << fmt("%.0f", snap.scan_ms) << " ms, built from scratch "
                      << fmt("%.0f", snap.build_ms) << " ms (ratio "
                      << fmt("%.2f", snap.build_ms / snap.scan_ms) << ", target 1.2), opened from "
                      << "its file by a new runtime " << fmt("%.1f", snap.open_ms)
                      << " ms (target 50)\n\n| definition | ids | evaluator-columnar ms | "
                      << "evaluator-sql ms | sql / columnar | hand-written ms | sql / hand |"
                      << (vm.count("memory") ? " evaluator-memory ms |" : "")
                      << "\n|---|---:|---:|---:|---:|---:|---:|"
                      << (vm.count("memory") ? "---:|" : "") << "\n";
            double worst = 0;
            std::vector<double> columnar_medians, sql_medians;
            for (const auto& c : cases()) {
                // Alternate which goes first so that neither always gets the warmer cache.
                Timed hand = target.hand_written(*store, c, 1);
                Timed sql = target.evaluator(*store, "evaluator-sql", c, 1);
                Timed col = target.evaluator(*store, "evaluator-columnar", c, 1);
                hand.ms.clear();
                sql.ms.clear();
                col.ms.clear();
                for (int r = 0; r < runs; ++r) {
                    auto h = target.hand_written(*store, c, 1);
                    auto s = target.evaluator(*store, "evaluator-sql", c, 1);
                    auto k = target.evaluator(*store, "evaluator-columnar", c, 1);
                    hand.ms.push_back(h.ms[0]);
                    sql.ms.push_back(s.ms[0]);
                    col.ms.push_back(k.ms[0]);
                }
                if (hand.ids != sql.ids)
                    throw BenchError(name + ": '" + c.name + "': the hand-written query gives " +
                                     std::to_string(hand.ids.size()) + " ids, evaluator-sql " +
                                     std::to_string(sql.ids.size()) + ": they must agree");
                if (col.ids != sql.ids)
                    throw BenchError(name + ": '" + c.name + "': evaluator-columnar gives " +
                                     std::to_string(col.ids.size()) + " ids, evaluator-sql " +
                                     std::to_string(sql.ids.size()) + ": they must agree");
                const double ratio = median(sql.ms) / median(hand.ms);
                worst = std::max(worst, ratio);
                columnar_medians.push_back(median(col.ms));
                sql_medians.push_back(median(sql.ms));
                std::cout << "| " << c.name << " | " << with_commas(sql.ids.size()) << " | "
                          << fmt("%.1f", median(col.ms)) << " | " << fmt("%.1f", median(sql.ms))
                          << " | " << fmt("%.0f", median(sql.ms) / median(col.ms)) << " | "
                          << fmt("%.1f", median(hand.ms)) << " | " << fmt("%.2f", ratio) << " |";
                if (vm.count("memory")) {
                    auto m = target.evaluator(*store, "evaluator-memory", c, 1);
                    if (m.ids != sql.ids)
                        throw BenchError("evaluator-memory disagrees on " + c.name);
                    std::cout << " " << fmt("%.0f", m.ms[0]) << " |";
                }
                std::cout << "\n" << std::flush;
            }
            const double col_median = median(columnar_medians), sql_median = median(sql_medians);
            const double col_worst =
                *std::max_element(columnar_medians.begin(), columnar_medians.end());
            const double wanted_speedup = name == "SQLite" ? 20 : 10;
            std::cout << "\nevaluator-columnar on " << name << ": median "
                      << fmt("%.1f", col_median)
                      << " ms (target 30: " << (col_median <= 30 ? "PASS" : "MISS") << "), worst "
                      << fmt("%.1f", col_worst)
                      << " ms (target 100: " << (col_worst <= 100 ? "PASS" : "MISS") << "), "
                      << fmt("%.0f", sql_median / col_median)
                      << "x faster than evaluator-sql by medians (target "
                      << fmt("%.0f", wanted_speedup)
                      << "x: " << (sql_median / col_median >= wanted_speedup ? "PASS" : "MISS")
                      << ")\n";
            std::cout << "worst evaluator-sql / hand-written ratio on " << name << ": "
                      << fmt("%.2f", worst)
                      << (worst <= 1.2 ? " (target 1.2: met)" : " (target 1.2: MISSED)") << "\n";
            store.reset();
            if (name == "PostgreSQL") target.runtime().target().drop("bench");
        }
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "sightline_segment_benchmark: " << e.what() << "\n";
        return 1;
    }
}
