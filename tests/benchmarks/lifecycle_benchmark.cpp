// sightline_lifecycle_benchmark: the data lifecycle of the PostgreSQL and SQLite targets,
// measured on the real `sightline` binary (docs/benchmarks.md).
//
//   1. PostgreSQL load: `sightline load` of N generated lines into target-postgres, end to end,
//      against `psql -c "\copy sales FROM FILE CSV HEADER"` of the same file into a table of
//      the same columns on the same server; alternating, median of R runs each.
//   2. Restore: F files (M lines in all) loaded with `sightline load`, then `sightline restore
//      --into copy` into an empty database of the same target; lines/s of each, on SQLite and
//      on PostgreSQL.
//   3. Full upload of N lines over those M while a reader thread counts the lines in a loop: no
//      failed read, every count is the old or the new total (never a mix), and the longest read
//      (the swap pause) against the median read.
//
// PostgreSQL runs when an admin DSN is given (--postgres-dsn or SIGHTLINE_POSTGRES_DSN, as
// tests/pg/start-postgres.sh exports it); otherwise its parts are skipped with a note.
#include <libpq-fe.h>
#include <sqlite3.h>

#include <atomic>
#include <boost/program_options.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "bench_util.hpp"
#include "process.hpp"

namespace {

namespace po = boost::program_options;
using nlohmann::json;
using namespace sightline::bench;

constexpr double kTargetPgLoadRatio = 1.1;   // sightline / psql \copy wall time, at most
constexpr double kTargetRestoreShare = 0.8;  // restore lines/s over load lines/s, at least
const char* const kTenant = "bench";

struct Options {
    uint64_t rows = 1000000;
    uint64_t restore_rows = 5000000;
    int restore_files = 10;
    int runs = 3;
    std::string postgres_dsn;
    std::string psql = "psql";
    std::string sightline;
    bool sqlite_only = false, load_only = false, json_out = false, keep = false;
};

void progress(const std::string& text) { std::cerr << "... " << text << std::endl; }

// ---------------------------------------------------------------------------------------------
// PostgreSQL helpers (libpq, the same library the target plugin's libpqxx uses)

std::string with_dbname(const std::string& dsn, const std::string& db) {
    // In a keyword/value string a later keyword wins.
    return dsn + " dbname='" + db + "'";
}

class PgConnection {
public:
    explicit PgConnection(const std::string& dsn) : conn_(PQconnectdb(dsn.c_str())) {
        if (PQstatus(conn_) != CONNECTION_OK)
            throw BenchError(std::string("cannot connect to PostgreSQL: ") + PQerrorMessage(conn_));
    }
    ~PgConnection() { PQfinish(conn_); }
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    // Runs one statement; the first column of the first row, or "" when there is none.
    std::optional<std::string> exec(const std::string& sql, bool throw_on_error = true) {
        PGresult* r = PQexec(conn_, sql.c_str());
        const auto status = PQresultStatus(r);
        std::optional<std::string> out;
        if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
            out = (status == PGRES_TUPLES_OK && PQntuples(r) > 0) ? PQgetvalue(r, 0, 0) : "";
        } else if (throw_on_error) {
            const std::string message = PQresultErrorMessage(r);
            PQclear(r);
            throw BenchError("PostgreSQL: " + message + " in: " + sql);
        }
        PQclear(r);
        return out;
    }
    std::vector<std::string> column(const std::string& sql) {
        PGresult* r = PQexec(conn_, sql.c_str());
        std::vector<std::string> out;
        if (PQresultStatus(r) == PGRES_TUPLES_OK)
            for (int i = 0; i < PQntuples(r); ++i) out.push_back(PQgetvalue(r, i, 0));
        PQclear(r);
        return out;
    }

private:
    PGconn* conn_;
};

// Drops every database and role whose name starts with prefix (what a run created).
void drop_prefixed(const std::string& admin_dsn, const std::string& prefix) {
    PgConnection admin(admin_dsn);
    for (const auto& db :
         admin.column("SELECT datname FROM pg_database WHERE datname LIKE '" + prefix + "%'"))
        admin.exec("DROP DATABASE IF EXISTS \"" + db + "\" WITH (FORCE)");
    for (const auto& role :
         admin.column("SELECT rolname FROM pg_roles WHERE rolname LIKE '" + prefix + "%'"))
        admin.exec("DROP ROLE IF EXISTS \"" + role + "\"", false);
}

// ---------------------------------------------------------------------------------------------
// Profiles and runs

struct TargetKind {
    std::string name;  // "sqlite" or "postgresql"
    std::string main_section, copy_section;
    std::function<std::unique_ptr<class Reader>()> reader;  // counts the tenant's lines
};

class Reader {
public:
    virtual ~Reader() = default;
    virtual uint64_t count_lines() = 0;  // throws on a failed read
};

class SqliteReader : public Reader {
public:
    explicit SqliteReader(const std::string& path) {
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
            throw BenchError("cannot open " + path);
        sqlite3_busy_timeout(db_, 60000);
    }
    ~SqliteReader() override { sqlite3_close(db_); }
    uint64_t count_lines() override {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db_, "SELECT count(*) FROM sale_lines", -1, &st, nullptr) !=
            SQLITE_OK)
            throw BenchError(sqlite3_errmsg(db_));
        const int rc = sqlite3_step(st);
        const uint64_t n =
            rc == SQLITE_ROW ? static_cast<uint64_t>(sqlite3_column_int64(st, 0)) : 0;
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW) throw BenchError(sqlite3_errmsg(db_));
        return n;
    }

private:
    sqlite3* db_ = nullptr;
};

class PgReader : public Reader {
public:
    explicit PgReader(const std::string& dsn) : conn_(dsn) {}
    uint64_t count_lines() override {
        return std::stoull(conn_.exec("SELECT count(*) FROM sale_lines").value_or("0"));
    }

private:
    PgConnection conn_;
};

std::string indented(const std::string& lines) {
    std::string out = "  ";
    for (size_t i = 0; i < lines.size(); ++i) {
        out += lines[i];
        if (lines[i] == '\n' && i + 1 < lines.size()) out += "  ";
    }
    return out;
}

std::string profile_text(const fs::path& dir, const TargetKind& kind) {
    return "version: 1\nstate_dir: " + yaml_quote((dir / "state").string()) +
           "\nlog: {format: json, level: info, file: " + yaml_quote((dir / "log").string()) +
           "}\narchive:\n  plugin: archive-fs\n  config: {root: " +
           yaml_quote((dir / "archive").string()) + ", compression: zstd}\ntarget:\n" +
           kind.main_section + "targets:\n  copy:\n" + indented(kind.copy_section) +
           "tenants:\n  - id: " + kTenant + "\n";
}

json sightline_json(const Options& o, const std::vector<std::string>& args, const fs::path& dir,
                    const std::string& what, ProcessResult* result = nullptr) {
    ProcessSpec spec;
    spec.argv = {o.sightline};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.stdout_path = (dir / "out.json").string();
    spec.stderr_path = (dir / "err.txt").string();
    const ProcessResult r = run_checked(spec, what);
    if (result) *result = r;
    return json::parse(read_text(spec.stdout_path));
}

void generate(const Options& o, uint64_t rows, int seed, const fs::path& file) {
    ProcessSpec spec;
    spec.argv = {o.sightline,   "generate",
                 "--rows",      std::to_string(rows),
                 "--customers", std::to_string(std::max<uint64_t>(1, rows / 20)),
                 "--seed",      std::to_string(seed),
                 "--output",    file.string()};
    run_checked(spec, "sightline generate");
}

// ---------------------------------------------------------------------------------------------
// 1. PostgreSQL load against psql \copy

const char* const kReferenceTable =
    "CREATE TABLE sales (\"order\" text, \"timestamp\" timestamptz, customer numeric(20,0), item "
    "text, price numeric(18,6), quantity numeric(18,6), s_channel text, i_store bigint, "
    "f_discount numeric(18,6), d_first_seen timestamptz)";

const char* const kReferenceIndexes =
    "CREATE INDEX ref_customer_order ON sales (customer, \"order\", \"timestamp\"); CREATE "
    "INDEX ref_ts ON sales (\"timestamp\"); CREATE INDEX ref_item ON sales (item)";

json pg_load_vs_copy(const Options& o, const Workspace& ws, const fs::path& file,
                     const std::string& prefix) {
    const std::string ref_db = prefix + "reference";
    {
        PgConnection admin(o.postgres_dsn);
        // The collation of sightline's tenant databases, so that text indexes cost the same.
        admin.exec("CREATE DATABASE \"" + ref_db + "\" LC_COLLATE 'C' TEMPLATE template0");
    }
    PgConnection ref(with_dbname(o.postgres_dsn, ref_db));
    ref.exec(kReferenceTable);
    const std::string psql = find_in_path(o.psql);
    if (psql.empty()) throw BenchError("no psql in PATH");
    std::vector<double> sl, pg, indexed;
    for (int i = 0; i < o.runs; ++i) {
        progress("PostgreSQL load run " + std::to_string(i + 1) + "/" + std::to_string(o.runs));
        const fs::path dir = ws.fresh("pg-load-" + std::to_string(i));
        TargetKind kind;
        const std::string run_prefix = prefix + "l" + std::to_string(i) + "_";
        kind.main_section =
            "  plugin: target-postgres\n  config: {admin_dsn: " + yaml_quote(o.postgres_dsn) +
            ", database_prefix: " + yaml_quote(run_prefix) + "}\n";
        kind.copy_section = kind.main_section;
        write_text(dir / "profile.yaml", profile_text(dir, kind));
        ::sync();
        ProcessResult r;
        const json out = sightline_json(o,
                                        {"load", "--profile", (dir / "profile.yaml").string(),
                                         "--tenant", kTenant, "--json", file.string()},
                                        dir, "sightline load (PostgreSQL)", &r);
        if (out.at(0).at("result") != "loaded" || out.at(0).at("rows") != o.rows)
            throw BenchError("sightline load did not load every line: " + out.dump());
        sl.push_back(r.wall_s);
        drop_prefixed(o.postgres_dsn, run_prefix);
        ws.discard(dir);

        ref.exec("TRUNCATE sales");
        ref.exec("CHECKPOINT");
        ProcessSpec copy;
        copy.argv = {psql,
                     "-X",
                     "-q",
                     "-v",
                     "ON_ERROR_STOP=1",
                     "-d",
                     with_dbname(o.postgres_dsn, ref_db),
                     "-c",
                     "\\copy sales FROM '" + file.string() + "' CSV HEADER"};
        copy.stderr_path = (ws.root() / "psql.err").string();
        pg.push_back(run_checked(copy, "psql \\copy").wall_s);
        if (ref.exec("SELECT count(*) FROM sales").value_or("") != std::to_string(o.rows))
            throw BenchError("psql \\copy did not load every line");
        // Not the target's reference, but the same end state as sightline's: the table with
        // the three indexes of sale_lines, built after the copy.
        ProcessSpec index = copy;
        index.argv = {psql,
                      "-X",
                      "-q",
                      "-v",
                      "ON_ERROR_STOP=1",
                      "-d",
                      with_dbname(o.postgres_dsn, ref_db),
                      "-c",
                      kReferenceIndexes};
        indexed.push_back(pg.back() + run_checked(index, "psql CREATE INDEX").wall_s);
        ref.exec("DROP INDEX ref_customer_order, ref_ts, ref_item");
    }
    {
        PgConnection admin(o.postgres_dsn);
        admin.exec("DROP DATABASE IF EXISTS \"" + ref_db + "\" WITH (FORCE)");
    }
    const double ratio = median(sl) / median(pg);
    return {{"rows", o.rows},
            {"sightline_median_s", median(sl)},
            {"psql_copy_median_s", median(pg)},
            {"sightline_runs_s", sl},
            {"psql_copy_runs_s", pg},
            {"psql_copy_then_index_median_s", median(indexed)},
            {"ratio_to_copy_then_index", median(sl) / median(indexed)},
            {"ratio", ratio},
            {"target", kTargetPgLoadRatio},
            {"met", ratio <= kTargetPgLoadRatio}};
}

// ---------------------------------------------------------------------------------------------
// 2 and 3. Restore rate, then a full upload under a reader

struct ReadStats {
    uint64_t reads = 0, failures = 0, mixed = 0;
    std::vector<double> latencies_ms;
    std::string first_failure;
};

json restore_and_full_upload(const Options& o, const Workspace& ws, const TargetKind& kind,
                             const std::vector<fs::path>& files, const fs::path& full_file) {
    const fs::path dir = ws.fresh("lifecycle-" + kind.name);
    write_text(dir / "profile.yaml", profile_text(dir, kind));
    const std::string profile = (dir / "profile.yaml").string();

    progress(kind.name + ": loading " + std::to_string(files.size()) + " files");
    std::vector<std::string> load_args = {"load",     "--profile", profile,
                                          "--tenant", kTenant,     "--json"};
    for (const auto& f : files) load_args.push_back(f.string());
    ::sync();
    ProcessResult load;
    sightline_json(o, load_args, dir, "sightline load (" + kind.name + ")", &load);

    progress(kind.name + ": restoring into an empty database");
    ::sync();
    ProcessResult restore;
    const json restored = sightline_json(o,
                                         {"restore", "--profile", profile, "--tenant", kTenant,
                                          "--into", "copy", "--reason", "benchmark", "--json"},
                                         dir, "sightline restore (" + kind.name + ")", &restore);
    if (restored.at("rows") != o.restore_rows)
        throw BenchError("the restore did not replay every line: " + restored.dump());
    const double load_rate = static_cast<double>(o.restore_rows) / load.wall_s;
    const double restore_rate = static_cast<double>(o.restore_rows) / restore.wall_s;

    progress(kind.name + ": full upload of " + std::to_string(o.rows) + " lines under a reader");
    std::unique_ptr<Reader> reader = kind.reader();
    const uint64_t before = reader->count_lines();
    std::atomic<bool> stop{false};
    ReadStats stats;
    std::thread thread([&] {
        while (!stop) {
            const auto t0 = std::chrono::steady_clock::now();
            try {
                const uint64_t n = reader->count_lines();
                if (n != before && n != o.rows) ++stats.mixed;
            } catch (const std::exception& e) {
                if (!stats.failures++) stats.first_failure = e.what();
            }
            stats.latencies_ms.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                    .count());
            ++stats.reads;
        }
    });
    ProcessResult full;
    try {
        sightline_json(o,
                       {"load", "--profile", profile, "--tenant", kTenant, "--full", "--reason",
                        "benchmark", "--json", full_file.string()},
                       dir, "sightline load --full (" + kind.name + ")", &full);
    } catch (...) {
        stop = true;
        thread.join();
        throw;
    }
    // A few more reads after the swap, so the last one sees the new lines.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop = true;
    thread.join();
    const uint64_t after = reader->count_lines();
    reader.reset();
    ws.discard(dir);

    auto sorted = stats.latencies_ms;
    std::sort(sorted.begin(), sorted.end());
    const double p99 =
        sorted.empty() ? 0 : sorted[std::min(sorted.size() - 1, sorted.size() * 99 / 100)];
    const double share = restore_rate / load_rate;
    return {{"target", kind.name},
            {"restore",
             {{"files", files.size()},
              {"lines", o.restore_rows},
              {"load_s", load.wall_s},
              {"restore_s", restore.wall_s},
              {"load_lines_per_s", load_rate},
              {"restore_lines_per_s", restore_rate},
              {"restore_over_load", share},
              {"target", kTargetRestoreShare},
              {"met", share >= kTargetRestoreShare}}},
            {"full_upload",
             {{"lines_before", before},
              {"lines_after", after},
              {"load_s", full.wall_s},
              {"reads", stats.reads},
              {"failed_reads", stats.failures},
              {"first_failure", stats.first_failure},
              {"mixed_reads", stats.mixed},
              {"read_median_ms", median(stats.latencies_ms)},
              {"read_p99_ms", p99},
              {"read_max_ms", max_of(stats.latencies_ms)},
              {"swap_pause_ms", max_of(stats.latencies_ms) - median(stats.latencies_ms)},
              {"met", stats.failures == 0 && stats.mixed == 0 && after == o.rows}}}};
}

void print_table(const json& r) {
    std::cout << "sightline_lifecycle_benchmark  " << r["when"].get<std::string>() << "\n"
              << "machine: " << r["cpu"].get<std::string>() << ", " << r["cores"] << " cores\n\n";
    if (r.contains("postgres_load")) {
        const json& l = r["postgres_load"];
        std::cout << "1. PostgreSQL load of " << with_commas(l["rows"]) << " lines, median of "
                  << l["sightline_runs_s"].size() << " runs\n"
                  << "   sightline load  " << fmt("%.2f s", l["sightline_median_s"]) << "\n"
                  << "   psql \\copy      " << fmt("%.2f s", l["psql_copy_median_s"]) << "\n"
                  << "   ratio           " << fmt("%.2f", l["ratio"])
                  << "  (target <= " << fmt("%.1f", l["target"]) << ": "
                  << (l["met"].get<bool>() ? "PASS" : "MISS") << ")\n"
                  << "   for information: psql \\copy then the same three CREATE INDEX "
                  << fmt("%.2f s", l["psql_copy_then_index_median_s"]) << ", ratio "
                  << fmt("%.2f", l["ratio_to_copy_then_index"]) << "\n\n";
    } else {
        std::cout << "1. PostgreSQL load: skipped (" << r["postgres_skipped"].get<std::string>()
                  << ")\n\n";
    }
    for (const json& t : r["lifecycle"]) {
        const json& rs = t["restore"];
        const json& f = t["full_upload"];
        std::cout << "2. " << t["target"].get<std::string>() << ": restore of " << rs["files"]
                  << " files, " << with_commas(rs["lines"]) << " lines\n"
                  << "   load     " << fmt("%.2f s", rs["load_s"]) << "  "
                  << fmt("%.0f lines/s", rs["load_lines_per_s"]) << "\n"
                  << "   restore  " << fmt("%.2f s", rs["restore_s"]) << "  "
                  << fmt("%.0f lines/s", rs["restore_lines_per_s"]) << "  = "
                  << fmt("%.0f%%", 100 * rs["restore_over_load"].get<double>())
                  << " of the load rate (target >= 80%: "
                  << (rs["met"].get<bool>() ? "PASS" : "MISS") << ")\n"
                  << "3. " << t["target"].get<std::string>() << ": full upload of "
                  << with_commas(f["lines_after"]) << " lines over "
                  << with_commas(f["lines_before"]) << " in " << fmt("%.2f s", f["load_s"])
                  << " under a reader\n"
                  << "   reads " << f["reads"] << ", failed " << f["failed_reads"] << ", mixed "
                  << f["mixed_reads"] << "; read median " << fmt("%.1f ms", f["read_median_ms"])
                  << ", p99 " << fmt("%.1f ms", f["read_p99_ms"]) << ", longest "
                  << fmt("%.1f ms", f["read_max_ms"]) << " -> swap pause "
                  << fmt("%.1f ms", f["swap_pause_ms"]) << " ("
                  << (f["met"].get<bool>() ? "PASS" : "MISS") << ")\n\n";
    }
}

int run(const Options& o) {
    Workspace ws(o.keep);
    json result = {{"when", utc_now()},
                   {"cpu", cpu_model()},
                   {"cores", std::thread::hardware_concurrency()},
                   {"lifecycle", json::array()}};
    const fs::path data = ws.fresh("data");
    progress("generating the files");
    const fs::path full_file = data / "full.csv";
    generate(o, o.rows, 1, full_file);
    std::vector<fs::path> files;
    for (int i = 0; i < (o.load_only ? 0 : o.restore_files); ++i) {
        files.push_back(data / ("part-" + std::to_string(i) + ".csv"));
        generate(o, o.restore_rows / o.restore_files, 100 + i, files.back());
    }

    TargetKind sqlite;
    sqlite.name = "sqlite";
    sqlite.main_section =
        "  plugin: target-sqlite\n  config: {dir: " + yaml_quote((ws.root() / "db").string()) +
        "}\n";
    sqlite.copy_section =
        "  plugin: target-sqlite\n  config: {dir: " + yaml_quote((ws.root() / "db-copy").string()) +
        "}\n";
    sqlite.reader = [&ws] {
        return std::make_unique<SqliteReader>((ws.root() / "db" / "bench.sqlite").string());
    };
    if (!o.load_only)
        result["lifecycle"].push_back(restore_and_full_upload(o, ws, sqlite, files, full_file));

    if (o.postgres_dsn.empty() || o.sqlite_only) {
        result["postgres_skipped"] =
            o.sqlite_only ? "--sqlite-only" : "no --postgres-dsn and SIGHTLINE_POSTGRES_DSN unset";
    } else {
        const std::string prefix = "slbench" + std::to_string(::getpid()) + "_";
        try {
            result["postgres_load"] = pg_load_vs_copy(o, ws, full_file, prefix);
            TargetKind pg;
            pg.name = "postgresql";
            pg.main_section =
                "  plugin: target-postgres\n  config: {admin_dsn: " + yaml_quote(o.postgres_dsn) +
                ", database_prefix: " + yaml_quote(prefix + "m_") + "}\n";
            pg.copy_section =
                "  plugin: target-postgres\n  config: {admin_dsn: " + yaml_quote(o.postgres_dsn) +
                ", database_prefix: " + yaml_quote(prefix + "c_") + "}\n";
            const std::string dsn = with_dbname(o.postgres_dsn, prefix + "m_" + kTenant);
            pg.reader = [dsn] { return std::make_unique<PgReader>(dsn); };
            if (!o.load_only)
                result["lifecycle"].push_back(restore_and_full_upload(o, ws, pg, files, full_file));
        } catch (...) {
            drop_prefixed(o.postgres_dsn, prefix);
            throw;
        }
        drop_prefixed(o.postgres_dsn, prefix);
    }
    if (o.json_out)
        std::cout << result.dump(2) << "\n";
    else
        print_table(result);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    if (const char* dsn = std::getenv("SIGHTLINE_POSTGRES_DSN")) o.postgres_dsn = dsn;
    po::options_description options(
        "Usage: sightline_lifecycle_benchmark [options]\n\n"
        "PostgreSQL load against psql \\copy, restore rate against load rate (SQLite and\n"
        "PostgreSQL), and a full upload under a concurrent reader. See docs/benchmarks.md.\n\n"
        "Options");
    options.add_options()("help,h", "show this help")(
        "rows", po::value<uint64_t>(&o.rows)->default_value(o.rows),
        "lines of the load comparison and of the full upload")(
        "restore-rows", po::value<uint64_t>(&o.restore_rows)->default_value(o.restore_rows),
        "lines of the restore, in all")(
        "restore-files", po::value<int>(&o.restore_files)->default_value(o.restore_files),
        "files the restore's lines are split into")(
        "runs", po::value<int>(&o.runs)->default_value(o.runs), "runs of each side of the load")(
        "postgres-dsn", po::value<std::string>(&o.postgres_dsn),
        "admin DSN of a PostgreSQL server (default: $SIGHTLINE_POSTGRES_DSN)")(
        "psql", po::value<std::string>(&o.psql)->default_value(o.psql), "the psql client")(
        "sqlite-only", po::bool_switch(&o.sqlite_only), "skip PostgreSQL")(
        "load-only", po::bool_switch(&o.load_only),
        "only the PostgreSQL load comparison (no restore, no full upload)")(
        "json", po::bool_switch(&o.json_out), "print JSON instead of the table")(
        "keep", po::bool_switch(&o.keep), "keep the temporary folder")(
        "sightline", po::value<std::string>(&o.sightline),
        "the sightline binary (default: next to this program)");
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(options).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "sightline_lifecycle_benchmark: " << e.what() << "\nTry --help.\n";
        return 2;
    }
    if (vm.count("help")) {
        std::cout << options << "\n";
        return 0;
    }
    if (o.rows < 20 || o.runs < 1 || o.restore_files < 1 ||
        o.restore_rows % static_cast<uint64_t>(o.restore_files) != 0) {
        std::cerr << "sightline_lifecycle_benchmark: --rows at least 20, --runs and "
                     "--restore-files at least 1, --restore-rows a multiple of --restore-files\n";
        return 2;
    }
    if (o.sightline.empty()) o.sightline = self_dir() + "/sightline";
    install_interrupt_handlers();
    try {
        return run(o);
    } catch (const std::exception& e) {
        std::cerr << "sightline_lifecycle_benchmark: " << e.what() << "\n";
        return 1;
    }
}
