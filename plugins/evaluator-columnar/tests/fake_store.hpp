// An in-memory tenant store implementing API 1.5 (data versions, scans after a mark, the
// catalog) over lines the test adds, removes or replaces, with counters of what was read; and
// random data and rule trees for the agreement tests. Also usable as a pre-1.5 store (no
// version, no scan after a mark, the catalog only through SQL), as an older target behaves.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "sightline/plugin/segment.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::evaluator_columnar::testing {

namespace sp = sightline::plugin;
namespace sg = sightline::plugin::segment;

constexpr int64_t kDay = sg::kMicrosPerDay;
constexpr int64_t kBase = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z

struct Cell {
    bool present = false;
    std::string text;
    int64_t number = 0;
};

struct Line {
    std::string order;
    int64_t ts = 0;
    uint64_t customer = 0;
    std::string item;
    int64_t price = 0;
    std::vector<Cell> custom;  // by FakeData::columns
    uint64_t mark = 0;
};

// The tenant's data, shared by the stores opened on it.
class FakeData {
public:
    explicit FakeData(std::vector<sp::Column> columns = {}) : columns_(std::move(columns)) {}

    // One load: the lines get a new mark.
    void load(std::vector<Line> lines);
    void set_catalog(std::vector<std::pair<std::string, std::string>> pairs);
    // A deletion of every line of these customers (removals grow).
    void delete_customers(const std::vector<uint64_t>& customers);
    // A full upload: every line replaced (removals grow).
    void replace(std::vector<Line> lines);
    // A restore --replace: new storage (a new incarnation), these lines.
    void restore(std::vector<Line> lines);

    std::unique_ptr<sp::TenantStore> open();
    bool legacy = false;  // behave like a target built before API 1.5

    std::atomic<int> full_scans{0}, scans_after{0}, catalog_reads{0}, stats_calls{0};

    // Internal, for FakeStore.
    std::mutex mutex;
    std::vector<sp::Column> columns_;
    std::vector<Line> lines_;
    std::vector<std::pair<std::string, std::string>> catalog_;
    sp::DataVersion version_{"inc-1", 0, 0};
    int incarnations_ = 1;
};

// One line without custom cells.
Line line(uint64_t customer, const std::string& order, int64_t ts, const std::string& item,
          int64_t price);

// Random data: `customers` customers with 1..4 orders of 1..3 lines over two years before kBase,
// prices with returns and zeros, ten items, a catalog, and the four custom columns of
// `sightline generate` (some cells missing).
std::vector<sp::Column> generated_columns();
std::vector<Line> random_lines(std::mt19937_64& rng, int customers, uint64_t first_customer = 1);
std::vector<std::pair<std::string, std::string>> random_catalog();
sg::Rule random_rule(std::mt19937_64& rng, int depth = 0);
// An instant among the lines' times (some before the newest line), or kBase.
int64_t random_as_of(std::mt19937_64& rng, const std::vector<Line>& lines);

}  // namespace sightline::evaluator_columnar::testing
