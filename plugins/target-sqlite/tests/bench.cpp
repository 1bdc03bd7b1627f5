// Insert-rate benchmark (not a unit test): loads N sales lines through the plugin, and the same
// lines as CSV through `sqlite3 DB ".import --csv"` into a table of the same columns, and prints
// both times. Usage: target_sqlite_bench [rows=1000000] [custom_columns=0] [cache_size_mib]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "customer_key.hpp"
#include "test_support.hpp"

namespace st = sightline::target_sqlite;
namespace sp = sightline::plugin;
using Clock = std::chrono::steady_clock;

namespace {

struct Line {
    std::string order;
    int64_t ts;
    uint64_t customer;
    std::string item;
    int64_t price;
    int64_t quantity;
};

std::vector<Line> make_lines(int rows) {
    std::vector<Line> lines;
    lines.reserve(static_cast<size_t>(rows));
    uint64_t state = 0x9E3779B97F4A7C15ULL;
    auto next = [&] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    for (int i = 0; i < rows; ++i) {
        const uint64_t r = next();
        lines.push_back(Line{"ORD-" + std::to_string(1000000 + i / 3),
                             1'600'000'000'000'000 + static_cast<int64_t>(r % 100'000'000'000'000),
                             (r >> 20) % 200'000, "SKU-" + std::to_string(r % 5000),
                             static_cast<int64_t>(r % 500'000'000) - 50'000'000,
                             1'000'000 * static_cast<int64_t>(1 + r % 3)});
    }
    return lines;
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU seconds (user + system) of this process, or of its waited-for children. Reported beside
// wall time because a shared build machine makes wall time noisy.
double cpu_seconds(int who) {
    rusage usage{};
    getrusage(who, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

struct Timing {
    double wall = 0;
    double cpu = 0;
    double append_wall = 0;  // begin_load and append() calls only; the rest is commit()
};

Timing plugin_load(st::SqliteTarget& target, const std::string& tenant,
                   const std::vector<Line>& lines, sp::LoadMode mode, int custom) {
    auto store = target.open(tenant);
    std::vector<sp::Column> extra;
    for (int c = 0; c < custom; ++c)
        extra.push_back({"i_c" + std::to_string(c), sp::ValueType::int64});
    const auto spec = st::testing::sales_spec(extra, mode);
    std::vector<sp::Value> row(spec.columns.size());
    for (auto& v : row) v.present = true;
    const auto start = Clock::now();
    const double cpu_start = cpu_seconds(RUSAGE_SELF);
    auto load = store->begin_load(spec);
    for (const auto& line : lines) {
        row[0].s = line.order;
        row[1].i = line.ts;
        row[2].u = line.customer;
        row[3].s = line.item;
        row[4].i = line.price;
        row[5].i = line.quantity;
        for (int c = 0; c < custom; ++c) row[6 + c].i = c;
        load->append(row.data());
    }
    const double appended = seconds_since(start);
    load->commit(st::testing::loaded_record("bench.csv", st::testing::fake_sha(1), lines.size(),
                                            sp::FileKind::sales, mode));
    return {seconds_since(start), cpu_seconds(RUSAGE_SELF) - cpu_start, appended};
}

Timing sqlite3_import(const std::string& dir, const std::vector<Line>& lines) {
    const std::string csv = dir + "/lines.csv";
    {
        std::ofstream out(csv);
        for (const auto& l : lines) {
            out << l.order << ',' << l.ts << ',' << st::encode_customer(l.customer) << ',' << l.item
                << ',' << l.price << ',' << l.quantity << '\n';
        }
    }
    const std::string db = dir + "/import.sqlite";
    const std::string create =
        "sqlite3 " + db +
        " 'CREATE TABLE sale_lines (order_id TEXT NOT NULL, ts INTEGER NOT NULL, customer INTEGER "
        "NOT NULL, item TEXT NOT NULL, price INTEGER NOT NULL, quantity INTEGER NOT NULL)'";
    if (std::system(create.c_str()) != 0) return {};
    const auto start = Clock::now();
    const double cpu_start = cpu_seconds(RUSAGE_CHILDREN);
    const std::string import = "sqlite3 " + db + " '.import --csv " + csv + " sale_lines'";
    if (std::system(import.c_str()) != 0) return {};
    return {seconds_since(start), cpu_seconds(RUSAGE_CHILDREN) - cpu_start};
}

}  // namespace

int main(int argc, char** argv) {
    const int rows = argc > 1 ? std::atoi(argv[1]) : 1'000'000;
    const int custom = argc > 2 ? std::atoi(argv[2]) : 0;
    const int cache_mib = argc > 3 ? std::atoi(argv[3]) : st::TargetConfig{}.cache_size_mib;
    st::testing::TempDir dir;
    const auto lines = make_lines(rows);
    const std::vector<Line> small_lines(lines.begin(), lines.begin() + rows / 100);

    st::TargetConfig config;
    config.dir = dir.path() + "/db";
    config.cache_size_mib = cache_mib;
    st::SqliteTarget target(config, nullptr);

    const Timing import = sqlite3_import(dir.path(), lines);
    const Timing first = plugin_load(target, "bench", lines, sp::LoadMode::incremental, custom);
    const Timing small =
        plugin_load(target, "bench", small_lines, sp::LoadMode::incremental, custom);
    const Timing second = plugin_load(target, "bench", lines, sp::LoadMode::incremental, custom);
    const Timing full = plugin_load(target, "bench", lines, sp::LoadMode::full, custom);

    auto report = [&](const char* what, const Timing& t, size_t n) {
        std::printf("%-50s wall %7.3f s (%7.0f rows/s)  cpu %7.3f s", what, t.wall, n / t.wall,
                    t.cpu);
        if (t.append_wall > 0) {
            std::printf("  [appends %.3f s = %.0f rows/s, commit %.3f s]", t.append_wall,
                        n / t.append_wall, t.wall - t.append_wall);
        }
        std::printf("\n");
    };
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("rows: %d, custom columns: %d, cache_size_mib: %d, peak RSS %.1f MB\n", rows,
                custom, cache_mib, usage.ru_maxrss / 1024.0);
    report("sqlite3 .import --csv (no indexes)", import, lines.size());
    report("plugin: first load (indexes built at commit)", first, lines.size());
    report("plugin: 1% incremental (indexes maintained)", small, small_lines.size());
    report("plugin: 100% incremental (switches to rebuild)", second, lines.size());
    report("plugin: full replace", full, lines.size());
    if (import.wall > 0) {
        std::printf("first load / import: wall %.2f, cpu %.2f\n", first.wall / import.wall,
                    first.cpu / import.cpu);
    }
    return 0;
}
