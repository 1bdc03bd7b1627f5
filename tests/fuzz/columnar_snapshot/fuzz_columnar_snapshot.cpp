// Fuzzes evaluator-columnar's snapshot reader (read_snapshot_file) with hostile files, then
// evaluates fixed segment rules and report totals over whatever it accepts: a file the reader
// takes must never make an evaluation read out of bounds.
//
// The first byte picks the mode; the rest is the file:
//   even: the bytes as they are (almost always refused at the size or checksum check);
//   odd:  the harness writes the true size into the header and recomputes the XXH3 checksum over
//         the content, so the fuzzer reaches the structure checks behind them (a file that was
//         written wrongly but is not torn).
//
// Seeds: `FUZZ_COLUMNAR_WRITE_SEEDS=<dir> fuzz_columnar_snapshot -runs=0` writes real snapshots
// (built by SnapshotBuilder, encoded by encode_snapshot) into <dir> and exits (make_corpus.sh).
#include <unistd.h>
#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "fuzz_check.hpp"
#include "report_totals.hpp"
#include "snapshot_builder.hpp"
#include "snapshot_evaluation.hpp"
#include "snapshot_file.hpp"

namespace ec = sightline::evaluator_columnar;
namespace sp = sightline::plugin;
namespace sg = sightline::plugin::segment;

namespace {

constexpr int64_t kDay = sg::kMicrosPerDay;
constexpr int64_t kAsOf = 20000 * kDay;  // 2024-10-04: after every seed's lines

std::string g_path;

sg::Rule leaf(sg::RuleKind kind) {
    sg::Rule r;
    r.kind = kind;
    return r;
}

sg::Rule field(const char* name, sp::ValueType type, sg::FieldOp op,
               std::vector<sg::FieldValue> values) {
    sg::Rule r = leaf(sg::RuleKind::field);
    r.field.name = name;
    r.field.type = type;
    r.field.op = op;
    r.field.values = std::move(values);
    return r;
}

// One rule of each kind, over the custom columns the seeds have (s_channel, i_qty, f_tax,
// d_ship), each evaluated alone and all together under `any`, `all` and `not`.
std::vector<sg::Rule> fixed_rules() {
    std::vector<sg::Rule> rules;
    sg::Rule purchased = leaf(sg::RuleKind::purchased);
    purchased.items = {"sku-1", "sku-2"};
    purchased.categories = {"Shoes", "Shoes>Running"};
    purchased.min_orders = 2;
    purchased.window.kind = sg::WindowKind::within_days;
    purchased.window.days = 400;
    rules.push_back(purchased);
    sg::Rule any_purchase = leaf(sg::RuleKind::purchased);
    rules.push_back(any_purchase);
    sg::Rule orders = leaf(sg::RuleKind::orders);
    orders.min = 2;
    orders.max = 50;
    orders.window.kind = sg::WindowKind::between;
    orders.window.from_us = 19000 * kDay;
    orders.window.until_us = 19900 * kDay;
    rules.push_back(orders);
    sg::Rule revenue = leaf(sg::RuleKind::revenue);
    revenue.min = 10'000'000;
    rules.push_back(revenue);
    sg::Rule last = leaf(sg::RuleKind::last_purchase);
    last.within_days = 30;
    last.before_days = 1;
    rules.push_back(last);
    sg::Rule first = leaf(sg::RuleKind::first_purchase);
    first.before_days = 100;
    rules.push_back(first);
    for (auto stage : {sg::Stage::first_time_buyer, sg::Stage::active, sg::Stage::defecting,
                       sg::Stage::inactive}) {
        sg::Rule life = leaf(sg::RuleKind::lifecycle);
        life.stage = stage;
        rules.push_back(life);
    }
    rules.push_back(field("s_channel", sp::ValueType::string, sg::FieldOp::eq, {{"web", 0}}));
    rules.push_back(field("s_channel", sp::ValueType::string, sg::FieldOp::prefix, {{"w", 0}}));
    rules.push_back(field("s_channel", sp::ValueType::string, sg::FieldOp::in,
                          {{"web", 0}, {"store", 0}, {"", 0}}));
    rules.push_back(field("s_channel", sp::ValueType::string, sg::FieldOp::lt, {{"m", 0}}));
    rules.push_back(field("i_qty", sp::ValueType::int64, sg::FieldOp::gt, {{"", 2}}));
    rules.push_back(field("f_tax", sp::ValueType::decimal, sg::FieldOp::le, {{"", 1'500'000}}));
    rules.push_back(field("d_ship", sp::ValueType::timestamp, sg::FieldOp::in,
                          {{"", 19500 * kDay}, {"", 19600 * kDay}}));
    rules.push_back(field("s_missing", sp::ValueType::string, sg::FieldOp::ne, {{"x", 0}}));
    sg::Rule any = leaf(sg::RuleKind::any), all = leaf(sg::RuleKind::all);
    any.rules = rules;
    all.rules = rules;
    sg::Rule negation = leaf(sg::RuleKind::not_);
    negation.rules = {any};
    rules.push_back(any);
    rules.push_back(all);
    rules.push_back(negation);
    return rules;
}

void evaluate(const ec::Snapshot& snapshot) {
    static const std::vector<sg::Rule> rules = fixed_rules();
    for (const sg::Rule& rule : rules) {
        sp::EvaluationRequest request;
        request.rule = &rule;
        request.as_of_us = kAsOf;
        request.tenant = "acme";
        const auto ids = ec::evaluate_snapshot(snapshot, request);
        for (size_t i = 1; i < ids.size(); ++i) FUZZ_CHECK(ids[i - 1] < ids[i]);
    }
    sp::report::Request report;
    report.tenant = "acme";
    report.from_us = 19000 * kDay;
    report.to_us = kAsOf;
    report.parts = sp::report::kLines | sp::report::kOrders | sp::report::kStages |
                   sp::report::kItems | sp::report::kCategories;
    (void)ec::compute_report_totals(snapshot, report);
}

// --- seeds ---------------------------------------------------------------------------------

struct Line {
    const char* order;
    int64_t day;
    uint64_t customer;
    const char* item;
    int64_t price;        // millionths
    const char* channel;  // nullptr: absent
    int64_t qty;
};

std::shared_ptr<const ec::Snapshot> build(const std::vector<Line>& lines, bool custom,
                                          const std::string& incarnation) {
    ec::SnapshotBuilder builder;
    std::vector<sp::Column> columns;
    if (custom) {
        columns = {{"s_channel", sp::ValueType::string},
                   {"i_qty", sp::ValueType::int64},
                   {"f_tax", sp::ValueType::decimal},
                   {"d_ship", sp::ValueType::timestamp}};
    }
    builder.begin_rows(columns);
    for (const Line& l : lines) {
        std::vector<sp::Value> row(sp::sales_fixed_columns + columns.size());
        row[0] = {true, 0, 0, l.order};
        row[1] = {true, l.day * kDay + 3600'000'000, 0, {}};
        row[2] = {true, 0, l.customer, {}};
        row[3] = {true, 0, 0, l.item};
        row[4] = {true, l.price, 0, {}};
        row[5] = {true, 1'000'000, 0, {}};
        if (custom) {
            row[6] = {l.channel != nullptr, 0, 0, l.channel ? l.channel : ""};
            row[7] = {true, l.qty, 0, {}};
            row[8] = {l.qty % 2 == 0, l.qty * 250'000, 0, {}};
            row[9] = {true, (l.day + 2) * kDay, 0, {}};
        }
        builder.add_row(row.data());
    }
    builder.add_catalog("sku-1", "Shoes>Running");
    builder.add_catalog("sku-1", "Sale");
    builder.add_catalog("sku-2", "Shoes");
    builder.add_catalog("sku-9", "Hats>Winter>Wool");
    return builder.finish({incarnation, 3, 17});
}

void write_seeds(const std::string& dir) {
    const std::vector<Line> small = {
        {"o1", 19990, 7, "sku-1", 12'500'000, "web", 1},
        {"o1", 19990, 7, "sku-2", 3'000'000, "web", 2},
        {"o2", 19995, 7, "sku-9", -1'000'000, nullptr, 3},
        {"o3", 19500, 42, "sku-2", 99'990'000, "store", 4},
        {"o4", 19850, 42, "sku-3", 1'000, "web", 5},
        {"o5", 18000, 1000000000000ULL, "sku-1", 5'000'000, "phone", 6},
    };
    std::vector<Line> wide;
    for (int i = 0; i < 60; ++i) {
        static const char* orders[] = {"a", "b", "c", "d", "e", "f", "g"};
        static const char* items[] = {"sku-1", "sku-2", "sku-9", "x"};
        static const char* channels[] = {"web", "store", nullptr};
        wide.push_back({orders[i % 7], 19000 + i * 13 % 997, static_cast<uint64_t>(i % 9 + 1),
                        items[i % 4], (i - 10) * 1'250'000, channels[i % 3], i % 5});
    }
    struct Seed {
        const char* name;
        std::shared_ptr<const ec::Snapshot> snapshot;
    };
    const Seed seeds[] = {
        {"empty", build({}, false, "inc")},
        {"empty-custom", build({}, true, "a/b")},
        {"one-line", build({small[0]}, false, "inc")},
        {"small", build(small, false, "2f0c")},
        {"small-custom", build(small, true, "2f0c")},
        {"wide-custom", build(wide, true, "x/y/z")},
    };
    for (const Seed& seed : seeds) {
        const std::string bytes = ec::encode_snapshot(*seed.snapshot);
        // Mode byte 0: the file as written; 1: the harness fixes size and checksum.
        for (char mode : {'\0', '\1'}) {
            std::ofstream out(dir + "/" + seed.name + (mode ? "-fixed" : "-raw"), std::ios::binary);
            out.put(mode);
            out << bytes;
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    if (const char* dir = std::getenv("FUZZ_COLUMNAR_WRITE_SEEDS")) {
        write_seeds(dir);
        std::exit(0);
    }
    const char* tmp = std::getenv("TMPDIR");
    g_path = std::string(tmp ? tmp : "/tmp") + "/fuzz-columnar-" + std::to_string(::getpid());
    std::atexit([] { ::unlink(g_path.c_str()); });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    std::string file(reinterpret_cast<const char*>(data) + 1, size - 1);
    if ((data[0] & 1) != 0 && file.size() >= 32) {
        const uint64_t total = file.size();
        std::memcpy(&file[16], &total, sizeof total);
        const uint64_t sum = XXH3_64bits(file.data(), file.size() - 8);
        std::memcpy(&file[file.size() - 8], &sum, sizeof sum);
    }
    {
        std::ofstream out(g_path, std::ios::binary | std::ios::trunc);
        out.write(file.data(), static_cast<std::streamsize>(file.size()));
    }
    std::string why;
    const auto snapshot = ec::read_snapshot_file(g_path, why);
    if (!snapshot) {
        FUZZ_CHECK(!why.empty());
        return 0;
    }
    // Accepted: it is the whole file, and it encodes to a file the reader accepts again (not
    // byte for byte: padding and the reserved header word are not checked on reading).
    FUZZ_CHECK(snapshot->buffer_bytes == file.size());
    const std::string again = ec::encode_snapshot(*snapshot);
    FUZZ_CHECK(again.size() == file.size());
    evaluate(*snapshot);
    return 0;
}
