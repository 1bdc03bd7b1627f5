// sightline_report_benchmark: each report's time (core::report::run with the totals of an
// evaluator, chosen as the API and the console choose it) on a generated 1M-line tenant
// (host/core's generator, as `sightline generate`), on SQLite and, when a DSN is given,
// PostgreSQL, side by side for each --evaluator given (default evaluator-sql). Two requests: the
// last 365 days of the data by day (the console's default chart) and all of the data by month.
// Every evaluator's JSON must be the first one's, byte for byte (checked on every call). Not a
// ctest test: the targets (none over 1 s on PostgreSQL for evaluator-sql; every report within
// 100 ms) are checked and printed. See docs/benchmarks.md.
#include <boost/program_options.hpp>
#include <chrono>
#include <iostream>
#include <random>
#include <set>

#include "bench_util.hpp"
#include "sightline/core/evaluator_choice.hpp"
#include "sightline/core/generator.hpp"
#include "sightline/core/report.hpp"
#include "sightline/core/runtime.hpp"
#include "sightline/core/timestamp.hpp"

extern "C" const char* __lsan_default_suppressions() { return "leak:libpqxx-6.4.so\n"; }

namespace sightline::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int64_t kDay = 86'400'000'000;

double ms_since(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

std::string profile_text(const Workspace& w, const std::string& target_yaml,
                         const std::vector<std::string>& evaluators) {
    std::string list;
    for (const auto& id : evaluators)
        list += (list.empty() ? "{plugin: " : ", {plugin: ") + id + "}";
    return "version: 1\nstate_dir: " + yaml_quote((w.root() / "state").string()) +
           "\nlog: {level: warn}\narchive: {plugin: archive-fs, config: {root: " +
           yaml_quote((w.root() / "archive").string()) + "}}\ntarget: " + target_yaml +
           "\nevaluators: [" + list + "]\ntenants: [{id: bench}]\n";
}

// One report by the named evaluator, as serve_report runs it.
nlohmann::json run_report(core::Runtime& runtime, plugin::TenantStore& store,
                          const std::string& evaluator, const std::string& report,
                          const core::report::Request& request) {
    const core::ChosenEvaluator chosen =
        core::choose_evaluator(runtime, evaluator, runtime.target().dialect(), "bench", store,
                               core::EvaluatorPurpose::reports);
    return core::report::run(*chosen.evaluator, store, "bench", report, request);
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

// The instants of the tenant's first and last lines.
std::pair<int64_t, int64_t> data_span(plugin::TenantStore& store) {
    std::pair<int64_t, int64_t> out{0, 0};
    store.query("SELECT min(ts), max(ts) FROM sale_lines", {}, [&](const plugin::SqlRow& row) {
        out = {row.get_int64(0), row.get_int64(1)};
    });
    return out;
}

struct Scenario {
    std::string name;
    core::report::Request request;
};

std::vector<Scenario> scenarios(plugin::TenantStore& store) {
    const auto [first, last] = data_span(store);
    // Whole days, so that the figures do not depend on the time of day of the last line.
    const int64_t end = (last / kDay + 1) * kDay;
    Scenario year{"last 365 days by day", {}};
    year.request.from_us = end - 365 * kDay;
    year.request.to_us = end;
    Scenario all{"all data by month", {}};
    all.request.from_us = (first / kDay) * kDay;
    all.request.to_us = end;
    all.request.granularity = core::report::Granularity::month;
    return {year, all};
}

}  // namespace
}  // namespace sightline::bench

int main(int argc, char** argv) {
    using namespace sightline::bench;
    namespace core = sightline::core;
    namespace po = boost::program_options;
    po::options_description options("sightline_report_benchmark: report times on a 1M-line tenant");
    options.add_options()("help", "this help")(
        "lines", po::value<uint64_t>()->default_value(1'000'000), "sales lines")(
        "customers", po::value<uint64_t>()->default_value(100'000), "distinct customers")(
        "runs", po::value<int>()->default_value(3), "timed runs per report (median reported)")(
        "pg-dsn", po::value<std::string>()->default_value(""),
        "PostgreSQL admin DSN (default: $SIGHTLINE_POSTGRES_DSN; empty: SQLite only)")(
        "sqlite-only", "skip PostgreSQL")(
        "evaluator", po::value<std::vector<std::string>>()->composing(),
        "an evaluator plugin id to time (repeat to compare side by side; default evaluator-sql)")(
        "plugin-dir", po::value<std::string>()->default_value(""),
        "plugin folder (default: ../lib/sightline/plugins beside this program)")(
        "keep", "keep the workspace");
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, options), vm);
        po::notify(vm);
    } catch (const std::exception& e) {
        std::cerr << "sightline_report_benchmark: " << e.what() << "\n";
        return 2;
    }
    if (vm.count("help")) {
        std::cout << options << "\n";
        return 0;
    }
    try {
        const int runs = std::max(1, vm["runs"].as<int>());
        std::string plugin_dir = vm["plugin-dir"].as<std::string>();
        if (plugin_dir.empty()) plugin_dir = self_dir() + "/../lib/sightline/plugins";
        std::string dsn = vm["pg-dsn"].as<std::string>();
        if (dsn.empty() && ::getenv("SIGHTLINE_POSTGRES_DSN"))
            dsn = ::getenv("SIGHTLINE_POSTGRES_DSN");
        if (vm.count("sqlite-only")) dsn.clear();
        std::vector<std::string> evaluators = {"evaluator-sql"};
        if (vm.count("evaluator")) evaluators = vm["evaluator"].as<std::vector<std::string>>();

        Workspace w(vm.count("keep") > 0);
        core::GeneratorOptions g;
        g.rows = vm["lines"].as<uint64_t>();
        g.customers = vm["customers"].as<uint64_t>();
        g.seed = 20261130;
        {
            std::ofstream sales(w.root() / "sales.csv"), catalog(w.root() / "catalog.csv");
            core::generate_sales(g, sales);
            core::generate_catalog(g, catalog);
        }
        std::vector<std::pair<std::string, std::string>> targets = {
            {"SQLite", "{plugin: target-sqlite, config: {dir: " +
                           yaml_quote((w.root() / "db").string()) + "}}"}};
        std::random_device random;
        const std::string prefix = "sl_repbench" + std::to_string(random() % 100000) + "_";
        if (!dsn.empty())
            targets.push_back(
                {"PostgreSQL", "{plugin: target-postgres, config: {admin_dsn: " + yaml_quote(dsn) +
                                   ", database_prefix: " + prefix + "}}"});

        std::cout << "# report times, " << with_commas(g.rows) << " lines, "
                  << with_commas(g.customers) << " customers, " << runs
                  << " runs each (median ms); machine: " << cpu_model() << ", " << utc_now()
                  << "\n";
        bool pg_over = false;
        std::set<std::string> over_100ms;  // evaluators with a report over 100 ms
        for (const auto& [name, yaml] : targets) {
            const fs::path profile = w.root() / (name + ".yaml");
            write_text(profile, profile_text(w, yaml, evaluators));
            core::Runtime runtime(profile.string(), plugin_dir);
            std::cerr << name << ":\n";
            load(runtime, w.root() / "catalog.csv");
            load(runtime, w.root() / "sales.csv");
            auto store = runtime.target().open("bench");
            const auto cases = scenarios(*store);
            std::cout << "\n## " << name << "\n\n";
            for (const auto& s : cases)
                std::cout << "- " << s.name << ": " << core::format_timestamp(s.request.from_us)
                          << " to " << core::format_timestamp(s.request.to_us) << "\n";
            std::cout << "\n| report |";
            for (const auto& s : cases)
                for (const auto& e : evaluators) std::cout << " " << s.name << ", " << e << " |";
            std::cout << "\n|---|";
            for (size_t i = 0; i < cases.size() * evaluators.size(); ++i) std::cout << "---:|";
            std::cout << "\n";
            for (const auto& report : core::report::names()) {
                std::cout << "| " << report << " |";
                for (const auto& s : cases) {
                    std::string first_json;
                    for (const auto& e : evaluators) {
                        std::vector<double> ms;
                        // The first call warms the cache (and builds what an evaluator keeps).
                        const auto warm = Clock::now();
                        const std::string json =
                            run_report(runtime, *store, e, report, s.request).dump();
                        std::cerr << "  " << report << ", " << s.name << ", " << e
                                  << ": first call " << fmt("%.0f", ms_since(warm)) << " ms\n";
                        if (first_json.empty()) first_json = json;
                        if (json != first_json)
                            throw BenchError(report + " (" + s.name + "): " + e + " differs from " +
                                             evaluators.front());
                        for (int r = 0; r < runs; ++r) {
                            const auto started = Clock::now();
                            run_report(runtime, *store, e, report, s.request);
                            ms.push_back(ms_since(started));
                        }
                        std::cout << " " << fmt("%.0f", median(ms)) << " |";
                        if (median(ms) > 100) over_100ms.insert(e);
                        if (name == "PostgreSQL" && e == "evaluator-sql" && report != "summary" &&
                            median(ms) > 1000)
                            pg_over = true;
                    }
                }
                std::cout << "\n" << std::flush;
            }
            store.reset();
            if (name == "PostgreSQL") runtime.target().drop("bench");
        }
        if (!dsn.empty())
            std::cout << "\nPostgreSQL, evaluator-sql (each report under 1 s): "
                      << (pg_over ? "MISSED" : "met") << "\n";
        for (const auto& e : evaluators)
            std::cout << "Every report within 100 ms (issue 14), " << e << ": "
                      << (over_100ms.count(e) ? "MISSED" : "met") << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "sightline_report_benchmark: " << e.what() << "\n";
        return 1;
    }
}
