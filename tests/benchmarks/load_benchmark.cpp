// sightline_load_benchmark: measures the real `sightline` binary against the sqlite3 shell.
//
//   1. load of N generated sales lines end to end (`sightline load`) against
//      `sqlite3 DB ".import --csv --skip 1 FILE sales"` into a pre-created table, same file,
//      same run, alternating, median of R runs each;
//   2. peak RSS of `sightline load` (ru_maxrss from wait4) at N lines and, with --with-10x, 10*N;
//   3. host start-up: `sightline serve --drain` with every bundled plugin and an empty landing
//      folder, against `sightline --version` as a floor.
//
// Every program runs through fork/execve (no shell) and is timed with steady_clock from fork to
// wait4. All files live in a fresh folder under $TMPDIR, removed at the end (unless --keep).
// It reports: it exits 0 when it ran, whether targets were met or missed (PASS/MISS per target).
#include <limits.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "process.hpp"

namespace {

namespace fs = std::filesystem;
namespace po = boost::program_options;
using nlohmann::json;
using sightline::bench::ProcessResult;
using sightline::bench::ProcessSpec;
using sightline::bench::run_process;
using namespace sightline::bench;

// Targets (docs/benchmarks.md).
constexpr double kTargetLoadRatio = 0.7;   // sightline / sqlite3 wall time, at most
constexpr double kTargetRssMB = 100.0;     // peak RSS of a load, under (MB = 10^6 bytes)
constexpr double kTargetRssGrowth = 1.25;  // 10x lines: peak RSS at most 1.25 x the 1x peak
constexpr double kTargetStartupMs = 50.0;  // serve --drain with every bundled plugin, under

// The header `sightline generate` writes, as the reference table's columns.
const char* const kReferenceTable =
    "CREATE TABLE sales (\"order\" TEXT, timestamp TEXT, customer INTEGER, item TEXT, price "
    "NUMERIC, "
    "quantity NUMERIC, s_channel TEXT, i_store INTEGER, f_discount NUMERIC, d_first_seen TEXT)";

struct Options {
    uint64_t rows = 1000000;
    int runs = 3;
    int startup_runs = 20;
    bool with_10x = false;
    bool json = false;
    std::string json_file;  // also write the JSON document there
    bool keep = false;
    std::string sightline;
    std::string sqlite3;
    std::string plugin_path;     // passed to sightline as --plugin-path when set
    std::string archive_plugin;  // archive-fs (the figures); another id for development only
};

// ---------------------------------------------------------------------------------------------
// Running the two programs

void progress(const std::string& text) { std::cerr << "... " << text << std::endl; }

void generate(const Options& o, uint64_t rows, const fs::path& file, const fs::path& logs,
              double& seconds) {
    ProcessSpec spec;
    spec.argv = {o.sightline,   "generate",
                 "--rows",      std::to_string(rows),
                 "--customers", std::to_string(std::max<uint64_t>(1, rows / 20)),
                 "--seed",      "1",
                 "--output",    file.string()};
    spec.stderr_path = (logs / "generate.err").string();
    seconds = run_checked(spec, "sightline generate").wall_s;
}

std::vector<std::string> header_of(const fs::path& file) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> columns;
    std::stringstream s(line);
    std::string column;
    while (std::getline(s, column, ',')) columns.push_back(column);
    return columns;
}

std::string load_profile_text(const Options& o, const fs::path& dir) {
    std::string archive_config;
    if (o.archive_plugin == "archive-fs")
        archive_config =
            "    root: " + yaml_quote((dir / "archive").string()) + "\n    compression: zstd\n";
    else
        archive_config = "    {}\n";
    return "# sightline_load_benchmark: one load, everything in this folder.\n"
           "version: 1\n"
           "state_dir: " +
           yaml_quote((dir / "state").string()) +
           "\n"
           "log:\n"
           "  format: text\n"
           "  level: info\n"
           "  file: " +
           yaml_quote((dir / "sightline.log").string()) +
           "\n"
           "archive:\n"
           "  plugin: " +
           o.archive_plugin +
           "\n"
           "  config:\n" +
           archive_config +
           "target:\n"
           "  plugin: target-sqlite\n"
           "  config:\n"
           "    dir: " +
           yaml_quote((dir / "db").string()) +
           "\n"
           "tenants:\n"
           "  - id: bench\n"
           "    delimiter: \",\"\n"
           "    allow_pii: false\n";
}

// profiles/local.yaml, as it is: relative paths under ./var, run from its own folder.
std::string startup_profile_text(const Options& o) {
    std::string archive_config = o.archive_plugin == "archive-fs"
                                     ? "    root: ./var/archive\n    compression: zstd\n"
                                     : "    {}\n";
    return "# sightline_load_benchmark: start-up with every bundled plugin (profiles/local.yaml).\n"
           "version: 1\n"
           "state_dir: ./var/state\n"
           "log:\n"
           "  format: text\n"
           "  level: info\n"
           "archive:\n"
           "  plugin: " +
           o.archive_plugin +
           "\n"
           "  config:\n" +
           archive_config +
           "target:\n"
           "  plugin: target-sqlite\n"
           "  config:\n"
           "    dir: ./var/db\n"
           "transports:\n"
           "  - plugin: intake-dir\n"
           "    config:\n"
           "      root: ./var/landing\n"
           "      poll_interval_ms: 1000\n"
           "tenants:\n"
           "  - id: demo\n"
           "    delimiter: \",\"\n"
           "    allow_pii: false\n";
}

struct LoadSample {
    double wall_s = 0;
    double cpu_s = 0;
    long maxrss_kib = 0;
    double pipeline_s = -1;  // sightline: "seconds" of `load --json` (the pipeline, in-process)
    uint64_t db_bytes = 0;
    uint64_t archive_bytes = 0;
};

json sample_json(const LoadSample& s) {
    json j = {{"wall_s", s.wall_s},
              {"cpu_s", s.cpu_s},
              {"maxrss_kib", s.maxrss_kib},
              {"db_bytes", s.db_bytes}};
    if (s.pipeline_s >= 0) {
        j["pipeline_s"] = s.pipeline_s;
        j["archive_bytes"] = s.archive_bytes;
    }
    return j;
}

LoadSample run_sightline_load(const Options& o, const Workspace& ws, const fs::path& file,
                              uint64_t rows, const std::string& name) {
    const fs::path dir = ws.fresh(name);
    const fs::path profile = dir / "profile.yaml";
    write_text(profile, load_profile_text(o, dir));
    ProcessSpec spec;
    spec.argv = {o.sightline, "load", "--profile", profile.string(), "--tenant", "bench", "--json"};
    if (!o.plugin_path.empty()) {
        spec.argv.push_back("--plugin-path");
        spec.argv.push_back(o.plugin_path);
    }
    spec.argv.push_back(file.string());
    spec.stdout_path = (dir / "load.json").string();
    spec.stderr_path = (dir / "load.err").string();
    flush_page_cache_writes();
    const ProcessResult r = run_checked(spec, "sightline load");

    LoadSample s;
    s.wall_s = r.wall_s;
    s.cpu_s = r.user_s + r.sys_s;
    s.maxrss_kib = r.maxrss_kib;
    json report;
    try {
        report = json::parse(read_text(spec.stdout_path));
    } catch (const std::exception& e) {
        throw BenchError("sightline load --json printed no JSON: " + std::string(e.what()));
    }
    if (!report.is_array() || report.empty() || report[0].value("result", "") != "loaded")
        throw BenchError("sightline load did not load the file: " + report.dump());
    const uint64_t loaded = report[0].value("rows", uint64_t{0});
    if (loaded != rows)
        throw BenchError("sightline load loaded " + std::to_string(loaded) + " lines, expected " +
                         std::to_string(rows));
    s.pipeline_s = report[0].value("seconds", -1.0);
    s.db_bytes = tree_bytes(dir / "db");
    s.archive_bytes = tree_bytes(dir / "archive");
    ws.discard(dir);
    return s;
}

LoadSample run_sqlite3_import(const Options& o, const Workspace& ws, const fs::path& file,
                              uint64_t rows, const std::string& name) {
    const fs::path dir = ws.fresh(name);
    const std::string db = (dir / "reference.db").string();
    // -init /dev/null: no ~/.sqliterc; standard input is /dev/null, so the shell runs in batch
    // mode.
    ProcessSpec create;
    create.argv = {o.sqlite3, "-init", "/dev/null", db, kReferenceTable};
    create.stderr_path = (dir / "create.err").string();
    run_checked(create, "sqlite3 CREATE TABLE");

    ProcessSpec import;
    import.argv = {o.sqlite3, "-init", "/dev/null", db,
                   ".import --csv --skip 1 " + shell_arg_quote(file.string()) + " sales"};
    import.stdout_path = (dir / "import.out").string();
    import.stderr_path = (dir / "import.err").string();
    flush_page_cache_writes();
    const ProcessResult r = run_checked(import, "sqlite3 .import");
    const std::string complaints = trim(read_text(import.stderr_path));
    if (!complaints.empty())
        throw BenchError("sqlite3 .import complained:\n" + tail_of(import.stderr_path));

    ProcessSpec count;
    count.argv = {o.sqlite3, "-init", "/dev/null", db, "SELECT count(*) FROM sales"};
    count.stdout_path = (dir / "count.out").string();
    count.stderr_path = (dir / "count.err").string();
    run_checked(count, "sqlite3 count");
    const std::string counted = trim(read_text(count.stdout_path));
    if (counted != std::to_string(rows))
        throw BenchError("sqlite3 imported " + counted + " lines, expected " +
                         std::to_string(rows));

    LoadSample s;
    s.wall_s = r.wall_s;
    s.cpu_s = r.user_s + r.sys_s;
    s.maxrss_kib = r.maxrss_kib;
    s.db_bytes = tree_bytes(dir);
    ws.discard(dir);
    return s;
}

std::vector<double> walls(const std::vector<LoadSample>& v) {
    std::vector<double> out;
    for (const auto& s : v) out.push_back(s.wall_s);
    return out;
}
std::vector<double> cpus(const std::vector<LoadSample>& v) {
    std::vector<double> out;
    for (const auto& s : v) out.push_back(s.cpu_s);
    return out;
}
std::vector<double> pipelines(const std::vector<LoadSample>& v) {
    std::vector<double> out;
    for (const auto& s : v) out.push_back(s.pipeline_s);
    return out;
}
long max_rss(const std::vector<LoadSample>& v) {
    long m = 0;
    for (const auto& s : v) m = std::max(m, s.maxrss_kib);
    return m;
}

// ---------------------------------------------------------------------------------------------
// Targets

const char* verdict(bool pass) { return pass ? "PASS" : "MISS"; }

// ---------------------------------------------------------------------------------------------

int run(const Options& o) {
    Workspace ws(o.keep);
    const fs::path logs = ws.fresh("logs");
    json out;
    out["date"] = utc_now();
    json targets = json::array();
    int passed = 0, missed = 0;
    auto add_target = [&](const std::string& name, double measured, double limit,
                          const std::string& bound, bool pass) {
        targets.push_back({{"name", name},
                           {"value", measured},
                           {"target", limit},
                           {"bound", bound},
                           {"pass", pass}});
        (pass ? passed : missed)++;
    };

    struct utsname uts {};
    ::uname(&uts);
    out["machine"] = {{"nproc", ::sysconf(_SC_NPROCESSORS_ONLN)},
                      {"cpu", cpu_model()},
                      {"memory_bytes", memory_bytes()},
                      {"kernel", std::string(uts.sysname) + " " + uts.release}};
    const std::string sightline_version = program_version(o.sightline, logs);
    const std::string sqlite3_version = program_version(o.sqlite3, logs);
    out["sightline"] = {
        {"path", o.sightline}, {"version", sightline_version}, {"archive", o.archive_plugin}};
    out["sqlite3"] = {{"path", o.sqlite3}, {"version", sqlite3_version}};
    out["tmp"] = ws.root().string();

    std::ostringstream text;
    text << "Sightline load benchmark, " << out["date"].get<std::string>() << "\n"
         << "  machine:   " << out["machine"]["nproc"].get<long>() << " CPUs (nproc), "
         << out["machine"]["cpu"].get<std::string>() << ", " << fmt("%.1f", memory_bytes() / 1e9)
         << " GB RAM, " << out["machine"]["kernel"].get<std::string>() << "\n"
         << "  sightline: " << o.sightline << " (" << sightline_version << "), archive "
         << o.archive_plugin << "\n"
         << "  sqlite3:   " << o.sqlite3 << " (" << first_words(sqlite3_version, 2) << ")\n"
         << "  tmp:       " << ws.root().string() << "\n\n";
    if (o.archive_plugin != "archive-fs")
        text << "  NOTE: archive plugin '" << o.archive_plugin
             << "', not archive-fs: these figures are not the reference ones.\n\n";

    // ---- 1. load ------------------------------------------------------------------------------
    const fs::path file = ws.root() / "sales.csv";
    double generate_s = 0;
    progress("generating " + with_commas(o.rows) + " lines");
    generate(o, o.rows, file, logs, generate_s);
    const uint64_t file_bytes = fs::file_size(file);
    const auto header = header_of(file);
    {
        std::string joined;
        for (const auto& c : header) joined += (joined.empty() ? "" : ",") + c;
        const std::string expected =
            "order,timestamp,customer,item,price,quantity,s_channel,i_store,f_discount,d_first_"
            "seen";
        if (joined != expected)
            throw BenchError("the generated header is '" + joined +
                             "', the reference table expects '" + expected +
                             "': update kReferenceTable");
    }

    std::vector<LoadSample> sl, sq;
    for (int i = 0; i < o.runs; ++i) {
        const bool sightline_first = i % 2 == 0;  // alternate which side goes first
        for (int side = 0; side < 2; ++side) {
            const bool is_sightline = (side == 0) == sightline_first;
            progress(std::string("run ") + std::to_string(i + 1) + "/" + std::to_string(o.runs) +
                     ": " + (is_sightline ? "sightline load" : "sqlite3 .import"));
            if (is_sightline)
                sl.push_back(run_sightline_load(o, ws, file, o.rows,
                                                "load-sightline-" + std::to_string(i + 1)));
            else
                sq.push_back(run_sqlite3_import(o, ws, file, o.rows,
                                                "load-sqlite3-" + std::to_string(i + 1)));
        }
    }
    const double sl_median = median(walls(sl)), sq_median = median(walls(sq));
    const double ratio = sl_median / sq_median;
    const double sl_cpu = median(cpus(sl)), sq_cpu = median(cpus(sq));
    const double sl_pipeline = median(pipelines(sl));
    add_target("load wall time ratio sightline/sqlite3", ratio, kTargetLoadRatio,
               "<=", ratio <= kTargetLoadRatio);
    {
        json load;
        load["rows"] = o.rows;
        load["runs"] = o.runs;
        load["file_bytes"] = file_bytes;
        load["generate_s"] = generate_s;
        json a = json::array(), b = json::array();
        for (const auto& s : sl) a.push_back(sample_json(s));
        for (const auto& s : sq) b.push_back(sample_json(s));
        load["sightline"] = {{"median_wall_s", sl_median},
                             {"median_cpu_s", sl_cpu},
                             {"median_pipeline_s", sl_pipeline},
                             {"max_maxrss_kib", max_rss(sl)},
                             {"samples", a}};
        load["sqlite3"] = {{"median_wall_s", sq_median},
                           {"median_cpu_s", sq_cpu},
                           {"max_maxrss_kib", max_rss(sq)},
                           {"samples", b}};
        load["ratio"] = ratio;
        load["cpu_ratio"] = sl_cpu / sq_cpu;
        out["load"] = load;
    }

    auto each = [](const std::vector<LoadSample>& v) {
        std::string s;
        for (const auto& x : v) s += (s.empty() ? "" : " ") + fmt("%.2f", x.wall_s);
        return s;
    };
    const size_t c0 = 34, c1 = 18, c2 = 18, c3 = 12;
    auto row = [&](const std::string& label, const std::string& a, const std::string& b,
                   const std::string& r, const std::string& extra = "") {
        text << "  " << pad_right(label, c0) << pad_left(a, c1) << pad_left(b, c2)
             << pad_left(r, c3) << extra << "\n";
    };
    text << "1. Load of " << with_commas(o.rows) << " lines (" << fmt("%.1f", mb(file_bytes))
         << " MB of CSV), median of " << o.runs << " runs each, alternating\n";
    row("", "sightline load", "sqlite3 .import", "ratio");
    row("wall time, median", fmt("%.3f s", sl_median), fmt("%.3f s", sq_median), fmt("%.2f", ratio),
        "   target <= " + fmt("%.2f", kTargetLoadRatio) + "  " +
            verdict(ratio <= kTargetLoadRatio));
    row("wall time, each run (s)", each(sl), each(sq), "");
    row("CPU time user+sys, median", fmt("%.3f s", sl_cpu), fmt("%.3f s", sq_cpu),
        fmt("%.2f", sl_cpu / sq_cpu));
    row("throughput, median", fmt("%.0f k lines/s", o.rows / sl_median / 1e3),
        fmt("%.0f k lines/s", o.rows / sq_median / 1e3), "");
    row("", fmt("%.1f MB/s", mb(file_bytes) / sl_median),
        fmt("%.1f MB/s", mb(file_bytes) / sq_median), "");
    row("peak RSS, highest run", fmt("%.1f MB", kib_to_mb(max_rss(sl))),
        fmt("%.1f MB", kib_to_mb(max_rss(sq))), "");
    row("database on disk", fmt("%.1f MB", mb(sl.back().db_bytes)),
        fmt("%.1f MB", mb(sq.back().db_bytes)), "");
    row("archive on disk", fmt("%.1f MB", mb(sl.back().archive_bytes)), "-", "");
    if (sl_pipeline >= 0) {
        text << "  sightline phases (medians): pipeline " << fmt("%.3f s", sl_pipeline)
             << " (read, SHA-256, parse, validate, guard, archive, insert, index, commit: "
                "'seconds' of load --json);\n"
             << "    outside the pipeline " << fmt("%.3f s", sl_median - sl_pipeline)
             << " (exec, profile, plugin probes and loading, open, exit)\n";
    }
    text << "  (generating the file took " << fmt("%.2f s", generate_s) << ")\n\n";
    check_interrupted();
    ws.discard(file);

    // ---- 2. peak RSS --------------------------------------------------------------------------
    const double rss1 = kib_to_mb(max_rss(sl));
    add_target("peak RSS of sightline load, " + with_commas(o.rows) + " lines (MB)", rss1,
               kTargetRssMB, "<", rss1 < kTargetRssMB);
    json rss;
    rss["rows_1x"] = {{"rows", o.rows}, {"maxrss_kib", max_rss(sl)}, {"mb", rss1}};
    text << "2. Peak RSS of sightline load (ru_maxrss of the child, from wait4)\n";
    text << "  " << pad_right(with_commas(o.rows) + " lines", c0)
         << pad_left(fmt("%.1f MB", rss1), c1) << "   target < " << fmt("%.0f", kTargetRssMB)
         << " MB  " << verdict(rss1 < kTargetRssMB) << "\n";
    if (o.with_10x) {
        const uint64_t rows10 = o.rows * 10;
        const uint64_t need =
            file_bytes * 10 * 4;  // CSV, database, archive and the reference database
        struct statvfs vfs {};
        const bool measured_space = ::statvfs(ws.root().c_str(), &vfs) == 0;
        const uint64_t free_bytes =
            measured_space ? static_cast<uint64_t>(vfs.f_bavail) * vfs.f_frsize : 0;
        if (measured_space && free_bytes < need) {
            text << "  " << pad_right(with_commas(rows10) + " lines", c0)
                 << "  not run: " << fmt("%.1f GB", free_bytes / 1e9) << " free in "
                 << ws.root().parent_path().string() << ", about " << fmt("%.1f GB", need / 1e9)
                 << " needed\n";
            rss["rows_10x"] = nullptr;
        } else {
            const fs::path file10 = ws.root() / "sales-10x.csv";
            double generate10_s = 0;
            progress("generating " + with_commas(rows10) + " lines");
            generate(o, rows10, file10, logs, generate10_s);
            const uint64_t file10_bytes = fs::file_size(file10);
            progress("10x: sightline load");
            const LoadSample big = run_sightline_load(o, ws, file10, rows10, "load-sightline-10x");
            progress("10x: sqlite3 .import");
            const LoadSample big_ref =
                run_sqlite3_import(o, ws, file10, rows10, "load-sqlite3-10x");
            ws.discard(file10);
            const double rss10 = kib_to_mb(big.maxrss_kib);
            const double growth = rss10 / rss1;
            add_target("peak RSS of sightline load, " + with_commas(rows10) + " lines (MB)", rss10,
                       kTargetRssMB, "<", rss10 < kTargetRssMB);
            add_target("peak RSS growth, 10x lines / 1x lines", growth, kTargetRssGrowth,
                       "<=", growth <= kTargetRssGrowth);
            rss["rows_10x"] = {{"rows", rows10},
                               {"file_bytes", file10_bytes},
                               {"generate_s", generate10_s},
                               {"maxrss_kib", big.maxrss_kib},
                               {"mb", rss10},
                               {"growth", growth},
                               {"sightline", sample_json(big)},
                               {"sqlite3", sample_json(big_ref)},
                               {"ratio", big.wall_s / big_ref.wall_s}};
            text << "  " << pad_right(with_commas(rows10) + " lines", c0)
                 << pad_left(fmt("%.1f MB", rss10), c1) << "   target < "
                 << fmt("%.0f", kTargetRssMB) << " MB  " << verdict(rss10 < kTargetRssMB) << "\n";
            text << "  " << pad_right("growth 10x / 1x", c0) << pad_left(fmt("%.2f", growth), c1)
                 << "   target <= " << fmt("%.2f", kTargetRssGrowth) << "  "
                 << verdict(growth <= kTargetRssGrowth) << "\n";
            text << "  10x load, one run each (" << fmt("%.1f", mb(file10_bytes))
                 << " MB of CSV): sightline " << fmt("%.2f s", big.wall_s) << " (pipeline "
                 << fmt("%.2f s", big.pipeline_s) << "), sqlite3 " << fmt("%.2f s", big_ref.wall_s)
                 << ", ratio " << fmt("%.2f", big.wall_s / big_ref.wall_s) << "; sqlite3 peak RSS "
                 << fmt("%.1f MB", kib_to_mb(big_ref.maxrss_kib)) << "\n";
        }
    } else {
        text << "  " << pad_right(with_commas(o.rows * 10) + " lines", c0)
             << "  not run (pass --with-10x: about " << fmt("%.0f MB", mb(file_bytes) * 10)
             << " of CSV)\n";
        rss["rows_10x"] = nullptr;
    }
    out["rss"] = rss;
    text << "\n";
    check_interrupted();

    // ---- 3. start-up --------------------------------------------------------------------------
    const fs::path start = ws.fresh("startup");
    fs::create_directories(start / "var" / "landing");
    write_text(start / "local.yaml", startup_profile_text(o));
    ProcessSpec serve;
    serve.argv = {o.sightline, "serve", "--profile", "local.yaml", "--drain"};
    if (!o.plugin_path.empty()) {
        serve.argv.push_back("--plugin-path");
        serve.argv.push_back(o.plugin_path);
    }
    serve.cwd = start.string();
    serve.stdout_path = (start / "serve.out").string();
    serve.stderr_path = (start / "serve.err").string();
    ProcessSpec version;
    version.argv = {o.sightline, "--version"};
    version.stdout_path = (start / "version.out").string();
    version.stderr_path = (start / "version.err").string();
    progress("start-up: " + std::to_string(o.startup_runs) + " runs each");
    flush_page_cache_writes();
    for (int i = 0; i < 2; ++i) {  // warm-up: the first run creates ./var; neither is counted
        run_checked(serve, "sightline serve --drain");
        run_checked(version, "sightline --version");
    }
    const std::string drained = first_line(read_text(serve.stdout_path));
    if (drained != "processed 0 uploads")
        throw BenchError("sightline serve --drain printed '" + drained +
                         "', expected 'processed 0 uploads'");
    std::vector<double> serve_ms, version_ms;
    long serve_rss = 0;
    for (int i = 0; i < o.startup_runs; ++i) {
        const auto a = run_checked(serve, "sightline serve --drain");
        const auto b = run_checked(version, "sightline --version");
        serve_ms.push_back(a.wall_s * 1e3);
        version_ms.push_back(b.wall_s * 1e3);
        serve_rss = std::max(serve_rss, a.maxrss_kib);
    }
    ws.discard(start);
    const double serve_median = median(serve_ms), version_median = median(version_ms);
    add_target("start-up, serve --drain with every bundled plugin (ms)", serve_median,
               kTargetStartupMs, "<", serve_median < kTargetStartupMs);
    out["startup"] = {{"runs", o.startup_runs},
                      {"serve_drain",
                       {{"median_ms", serve_median},
                        {"min_ms", min_of(serve_ms)},
                        {"max_ms", max_of(serve_ms)},
                        {"maxrss_kib", serve_rss},
                        {"samples_ms", serve_ms}}},
                      {"version",
                       {{"median_ms", version_median},
                        {"min_ms", min_of(version_ms)},
                        {"max_ms", max_of(version_ms)},
                        {"samples_ms", version_ms}}}};
    text << "3. Host start-up, " << o.startup_runs << " runs each (after 2 warm-up runs)\n";
    row("", "median", "min", "max");
    row("sightline serve --drain", fmt("%.1f ms", serve_median), fmt("%.1f ms", min_of(serve_ms)),
        fmt("%.1f ms", max_of(serve_ms)),
        "   target < " + fmt("%.0f", kTargetStartupMs) + " ms  " +
            verdict(serve_median < kTargetStartupMs));
    row("sightline --version (floor)", fmt("%.1f ms", version_median),
        fmt("%.1f ms", min_of(version_ms)), fmt("%.1f ms", max_of(version_ms)));
    text << "  serve --drain: " << o.archive_plugin
         << ", target-sqlite and intake-dir probed, loaded and created; empty landing folder\n\n";

    out["targets"] = targets;
    out["passed"] = passed;
    out["missed"] = missed;
    text << "Targets: " << passed << " PASS, " << missed << " MISS\n";
    for (const auto& t : targets)
        text << "  " << verdict(t["pass"].get<bool>()) << "  " << t["name"].get<std::string>()
             << ": " << fmt("%.3g", t["value"].get<double>()) << " ("
             << t["bound"].get<std::string>() << " " << fmt("%g", t["target"].get<double>())
             << ")\n";

    if (!o.json_file.empty()) write_text(o.json_file, out.dump(2) + "\n");
    if (o.json)
        std::cout << out.dump(2) << std::endl;
    else
        std::cout << text.str() << std::flush;
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    po::options_description options(
        "Usage: sightline_load_benchmark [options]\n\n"
        "Measures the sightline binary: load of generated lines against the sqlite3 shell's "
        ".import,\n"
        "peak RSS of a load, and host start-up. Prints a table (or JSON), PASS/MISS per target, "
        "and\n"
        "exits 0 when it ran (1 when a program failed, 2 on a usage error). See "
        "docs/benchmarks.md.\n\n"
        "Options");
    options.add_options()("help,h", "show this help")(
        "rows", po::value<uint64_t>(&o.rows)->default_value(o.rows), "lines to generate and load")(
        "runs", po::value<int>(&o.runs)->default_value(o.runs),
        "runs of each side of the load (median reported)")(
        "startup-runs", po::value<int>(&o.startup_runs)->default_value(o.startup_runs),
        "runs of each start-up measurement")(
        "with-10x", po::bool_switch(&o.with_10x),
        "also load 10 x --rows lines once (peak RSS; ~900 MB of CSV at 1M)")(
        "json", po::bool_switch(&o.json), "print the results as JSON instead of the table")(
        "json-file", po::value<std::string>(&o.json_file),
        "also write the JSON results to this file")(
        "sightline", po::value<std::string>(&o.sightline),
        "the sightline binary (default: 'sightline' next to this program)")(
        "sqlite3", po::value<std::string>(&o.sqlite3)->default_value("sqlite3"),
        "the sqlite3 shell (a name is searched in PATH)")(
        "keep", po::bool_switch(&o.keep), "keep the temporary folder (its path is printed)")(
        "plugin-path", po::value<std::string>(&o.plugin_path),
        "passed to sightline as --plugin-path (development)")(
        "archive-plugin", po::value<std::string>(&o.archive_plugin)->default_value("archive-fs"),
        "archive plugin id; anything but archive-fs (with compression zstd) is for development "
        "only");
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(options).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "sightline_load_benchmark: " << e.what() << "\nTry --help.\n";
        return 2;
    }
    if (vm.count("help")) {
        std::cout << options << "\n";
        return 0;
    }
    if (o.rows < 20 || o.runs < 1 || o.startup_runs < 1) {
        std::cerr << "sightline_load_benchmark: --rows must be at least 20, --runs and "
                     "--startup-runs at least 1\n";
        return 2;
    }
    if (o.sightline.empty()) o.sightline = self_dir() + "/sightline";
    o.sightline = fs::absolute(o.sightline).string();
    if (::access(o.sightline.c_str(), X_OK) != 0) {
        std::cerr << "sightline_load_benchmark: no executable sightline at " << o.sightline
                  << " (use --sightline)\n";
        return 2;
    }
    const std::string sqlite3 = sightline::bench::find_in_path(o.sqlite3);
    if (sqlite3.empty() || ::access(sqlite3.c_str(), X_OK) != 0) {
        std::cerr << "sightline_load_benchmark: no executable sqlite3 '" << o.sqlite3
                  << "' (use --sqlite3)\n";
        return 2;
    }
    o.sqlite3 = fs::absolute(sqlite3).string();
    if (!o.plugin_path.empty()) o.plugin_path = fs::absolute(o.plugin_path).string();
    if (!o.json_file.empty()) o.json_file = fs::absolute(o.json_file).string();

    sightline::bench::install_interrupt_handlers();
    try {
        return run(o);
    } catch (const std::exception& e) {
        std::cerr << "sightline_load_benchmark: " << e.what() << "\n";
        return 1;
    }
}
