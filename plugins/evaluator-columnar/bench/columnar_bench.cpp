// evaluator_columnar_bench [lines] [--keep]: the figures of evaluator-columnar's snapshot on
// `sightline generate` data loaded through target-sqlite (as in production): the plain scan a
// build reads, the build, opening the persisted file, bytes per line (per column too), and the
// time of each representative definition over the snapshot (median of 7 runs) at the newest
// line and half a year earlier. Prints a Markdown table; exits 1 if a figure misses its target.
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>

#include "report_totals.hpp"
#include "sightline/core/generator.hpp"
#include "sightline/core/pipeline.hpp"
#include "sightline/core/runtime.hpp"
#include "sightline/core/segment_definition.hpp"
#include "snapshot_builder.hpp"
#include "snapshot_evaluation.hpp"
#include "tenant_snapshots.hpp"

namespace fs = std::filesystem;
namespace sp = sightline::plugin;
namespace sc = sightline::evaluator_columnar;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

class BenchHost : public sp::HostServices {
public:
    explicit BenchHost(std::string dir) : dir_(std::move(dir)) { fs::create_directories(dir_); }
    void log(sp::LogLevel, std::string_view event, const sp::LogFields& fields) override {
        std::lock_guard<std::mutex> lock(mutex_);
        std::cerr << "  log: " << event;
        for (const auto& [k, v] : fields) std::cerr << " " << k << "=" << v;
        std::cerr << "\n";
    }
    std::string state_dir() override { return dir_; }
    int64_t now_us() override { return 0; }
    std::vector<std::string> tenants() override { return {"bench"}; }

private:
    std::string dir_;
    std::mutex mutex_;
};

const char* const kDefinitions[][2] = {
    {"recent buyers (purchased, 90 days)", R"({"purchased":{"within_days":90}})"},
    {"item buyers (2 items, 365 days)", R"({"purchased":{"within_days":365,"items":["A","H"]}})"},
    {"category buyers (Shoes and below)", R"({"purchased":{"categories":["Shoes"]}})"},
    {"repeat buyers (orders >= 3)", R"({"orders":{"min":3}})"},
    {"three orders within 730 days", R"({"orders":{"within_days":730,"min":3}})"},
    {"big spenders (revenue >= 500, 730 days)", R"({"revenue":{"within_days":730,"min":500}})"},
    {"last purchase within 30 days", R"({"last_purchase":{"within_days":30}})"},
    {"first purchase over a year ago", R"({"first_purchase":{"before_days":365}})"},
    {"lifecycle active", R"({"lifecycle":"active"})"},
    {"lifecycle inactive", R"({"lifecycle":"inactive"})"},
    {"channel web (field eq, 90 days)",
     R"({"field":{"name":"s_channel","op":"eq","value":"web","within_days":90}})"},
    {"discount >= 0.1 (decimal field)", R"({"field":{"name":"f_discount","op":"ge","value":0.1}})"},
    {"lapsed VIPs (revenue 730 days, not purchased 90)",
     R"({"all":[{"revenue":{"within_days":730,"min":500}},{"not":{"purchased":{"within_days":90}}}]})"},
    {"any of three, minus defecting",
     R"({"all":[{"any":[{"orders":{"min":2}},{"revenue":{"min":100}},{"field":{"name":"i_store","op":"in","value":[1,2,3]}}]},{"not":{"lifecycle":"defecting"}}]})"},
};

void load(sightline::core::Runtime& runtime, const fs::path& file) {
    sightline::core::LoadRequest request;
    request.tenant = "bench";
    request.path = file.string();
    const auto started = Clock::now();
    const auto report = runtime.pipeline().process(request);
    if (report.outcome != sp::UploadOutcome::loaded)
        throw std::runtime_error("loading " + file.string() + " failed: " + report.message);
    std::cerr << "  loaded " << file.filename().string() << " in " << ms_since(started) / 1000
              << " s\n";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
        std::cout << "usage: evaluator_columnar_bench [LINES (default 1000000)] [--keep]\n"
                     "evaluator-columnar's snapshot figures on generated data loaded through "
                     "target-sqlite (docs/benchmarks.md); exit 1 when a figure misses its target\n";
        return 0;
    }
    const uint64_t lines = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
    if (lines == 0) {
        std::cerr << "evaluator_columnar_bench: LINES must be a positive number\n";
        return 2;
    }
    const bool keep = argc > 2 && std::string(argv[2]) == "--keep";
    char pattern[] = "/tmp/columnar-bench.XXXXXX";
    if (!::mkdtemp(pattern)) return 2;
    const fs::path root = pattern;
    try {
        sightline::core::GeneratorOptions options;
        options.rows = lines;
        options.customers = std::max<uint64_t>(lines / 5, 1);
        {
            std::ofstream sales(root / "sales.csv"), catalog(root / "catalog.csv");
            sightline::core::generate_sales(options, sales);
            sightline::core::generate_catalog(options, catalog);
        }
        {
            std::ofstream profile(root / "profile.yaml");
            profile << "version: 1\nstate_dir: " << (root / "state").string()
                    << "\nlog: {level: warn}\narchive: {plugin: archive-fs, config: {root: "
                    << (root / "archive").string()
                    << ", compression: none, fsync: false}}\ntarget: {plugin: target-sqlite, "
                       "config: {dir: "
                    << (root / "db").string() << "}}\ntenants: [{id: bench}]\n";
        }
        sightline::core::Runtime runtime((root / "profile.yaml").string(),
                                         SIGHTLINE_BUILD_PLUGIN_DIR);
        load(runtime, root / "catalog.csv");
        load(runtime, root / "sales.csv");
        auto store = runtime.target().open("bench");

        auto started = Clock::now();
        uint64_t scanned = 0;
        sp::SalesScan scan;
        store->scan_sales_after(0, scan, [&](const sp::Value*) { ++scanned; });
        const double scan_ms = ms_since(started);

        // The build's phases: scanning into the builder, then ordering and packing.
        double into_builder_ms = 0, finish_ms = 0;
        {
            sc::SnapshotBuilder builder;
            started = Clock::now();
            sp::SalesScan phases;
            bool begun = false;
            store->scan_sales_after(0, phases, [&](const sp::Value* row) {
                if (!begun) builder.begin_rows(phases.custom);
                begun = true;
                builder.add_row(row);
            });
            into_builder_ms = ms_since(started);
            started = Clock::now();
            builder.finish(phases.version);
            finish_ms = ms_since(started);
        }

        BenchHost host((root / "columnar").string());
        sc::ColumnarConfig memory_only;
        memory_only.persist = false;
        sc::TenantSnapshots unwritten(memory_only, &host);
        started = Clock::now();
        unwritten.current("bench", *store);
        const double build_ms = ms_since(started);
        sc::TenantSnapshots built({}, &host);
        started = Clock::now();
        const sc::SnapshotPtr snapshot = built.current("bench", *store);
        const double persisted_ms = ms_since(started);

        std::vector<double> opens;
        for (int i = 0; i < 5; ++i) {
            sc::TenantSnapshots fresh({}, &host);
            started = Clock::now();
            const sc::SnapshotPtr opened = fresh.current("bench", *store);
            opens.push_back(ms_since(started));
            if (fresh.last_source("bench") != "opened") throw std::runtime_error("not opened");
        }
        const double open_ms = median(opens);

        const double n = static_cast<double>(snapshot->lines());
        size_t dictionaries = snapshot->items.owned_bytes() + snapshot->order_ids.owned_bytes() +
                              snapshot->paths.owned_bytes();
        for (const auto& c : snapshot->custom) dictionaries += c.dict.owned_bytes();
        const size_t total = snapshot->memory_bytes();
        std::cout << "# evaluator-columnar at " << snapshot->lines() << " lines, "
                  << snapshot->customer_count() << " customers, " << snapshot->order_ids.size()
                  << " orders\n\n"
                  << "plain scan " << static_cast<int>(scan_ms) << " ms (" << scanned
                  << " rows); build " << static_cast<int>(build_ms) << " ms (ratio "
                  << build_ms / scan_ms << ", target 1.2: scan into the builder "
                  << static_cast<int>(into_builder_ms) << " ms, order and pack "
                  << static_cast<int>(finish_ms) << " ms); build and write the file "
                  << static_cast<int>(persisted_ms) << " ms; open " << open_ms
                  << " ms (target 50)\n"
                  << "memory " << total / n << " bytes/line in all, " << (total - dictionaries) / n
                  << " without dictionary strings (target 40)\n";
        for (const auto& c : snapshot->custom)
            std::cout << "  column " << c.name << ": "
                      << (c.values.owned_bytes() + c.present.owned_bytes()) / n << " bytes/line ("
                      << c.values.width() << "-byte codes)\n";

        int64_t newest = 0;
        for (size_t l = 0; l < snapshot->lines(); ++l)
            newest = std::max(newest, snapshot->ts.at(l));
        std::cout << "line columns: ts " << snapshot->ts.width() << " bytes, price "
                  << snapshot->price.width() << ", order " << snapshot->order.width() << ", item "
                  << snapshot->item.width() << "\n";
        std::cout << "\n| definition | ids (newest) | ms (newest) | ids (-182 days) | ms (-182 "
                     "days) |\n| --- | --- | --- | --- | --- |\n";
        std::vector<double> all;
        for (const auto& [name, rule] : kDefinitions) {
            const std::string text =
                std::string("{\"id\":\"b\",\"name\":\"b\",\"rule\":") + rule + "}";
            const auto parsed =
                sightline::core::parse_definition(text, sightline::core::DefinitionFormat::json);
            if (!parsed.definition) throw std::runtime_error(std::string("bad definition ") + name);
            std::cout << "| " << name;
            for (int64_t as_of : {newest, newest - 182 * sp::segment::kMicrosPerDay}) {
                sp::EvaluationRequest request;
                request.rule = &parsed.definition->rule;
                request.as_of_us = as_of;
                request.tenant = "bench";
                std::vector<double> ms;
                size_t ids = 0;
                for (int r = 0; r < 7; ++r) {
                    started = Clock::now();
                    ids = sc::evaluate_snapshot(*snapshot, request).size();
                    ms.push_back(ms_since(started));
                }
                all.push_back(median(ms));
                std::cout << " | " << ids << " | " << median(ms);
            }
            std::cout << " |\n";
        }
        // Report totals: the last 365 days, and all the data.
        int64_t oldest = newest;
        for (size_t l = 0; l < snapshot->lines(); ++l)
            oldest = std::min(oldest, snapshot->ts.at(l));
        const int64_t day = sp::segment::kMicrosPerDay;
        const std::pair<const char*, std::pair<int64_t, int64_t>> ranges[] = {
            {"365 days", {(newest / day - 364) * day, (newest / day + 1) * day}},
            {"all data", {(oldest / day) * day, (newest / day + 1) * day}}};
        for (const auto& [label, range] : ranges) {
            sp::report::Request request;
            request.tenant = "bench";
            request.from_us = range.first;
            request.to_us = range.second;
            request.parts = sp::report::kLines | sp::report::kOrders | sp::report::kStages |
                            sp::report::kItems | sp::report::kCategories;
            std::vector<double> ms;
            for (int r = 0; r < 5; ++r) {
                started = Clock::now();
                sc::compute_report_totals(*snapshot, request);
                ms.push_back(ms_since(started));
            }
            std::cout << "report totals, every part, " << label << ": " << median(ms)
                      << " ms (target 100)\n";
        }
        std::cout << "\nper definition: median " << median(all) << " ms (target 30), worst "
                  << *std::max_element(all.begin(), all.end()) << " ms (target 100)\n";
    } catch (const std::exception& e) {
        std::cerr << "evaluator_columnar_bench: " << e.what() << "\n";
        if (!keep) fs::remove_all(root);
        return 2;
    }
    if (!keep) fs::remove_all(root);
    return 0;
}
