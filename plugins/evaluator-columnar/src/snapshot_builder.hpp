// Builds a Snapshot from scanned sales rows (and, to extend one, from an older snapshot's lines
// plus the rows a later load added), and the catalog. Rows arrive in any order; finish() sorts
// them by (customer, time) and numbers each customer's orders by first line.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sightline/plugin/target.hpp"
#include "snapshot.hpp"

namespace sightline::evaluator_columnar {

// Thrown when rows cannot be merged into what is held (a custom column changed type): the
// caller rebuilds from a full scan.
struct IncompatibleColumns : plugin::Error {
    using plugin::Error::Error;
};

class SnapshotBuilder {
public:
    SnapshotBuilder() = default;

    // About how many lines will come (an older version's count): reserving up front spares the
    // doubling growth of every column, whose copies are the build's peak of memory.
    void expect_rows(size_t lines);
    // Every line of a snapshot (an older version being extended), with its custom columns.
    void add_snapshot(const Snapshot& old);
    // The custom columns of the rows that follow (SalesScan::custom or custom_columns()).
    void begin_rows(const std::vector<plugin::Column>& custom);
    // One scanned row: the fixed sales columns, then the custom columns of begin_rows().
    void add_row(const plugin::Value* row);
    // One (item, category path) pair of the catalog.
    void add_catalog(std::string_view item, std::string_view path);

    size_t rows() const { return customer_.size(); }
    std::shared_ptr<const Snapshot> finish(const plugin::DataVersion& version);

private:
    // Strings numbered in order of first sight.
    struct Interner {
        struct Hash {
            size_t operator()(std::string_view s) const;
        };
        std::unordered_map<std::string_view, uint32_t, Hash> codes;  // views into `storage`
        std::deque<std::string> storage;                             // never moves its strings
        std::vector<std::string_view> strings;
        uint32_t code(std::string_view s);
    };
    struct PendingColumn {
        plugin::Column column;
        Interner dict;
        std::vector<uint32_t> codes;
        std::vector<int64_t> numbers;
        std::vector<bool> present;
    };

    size_t column_index(const plugin::Column& column);
    // Row numbers by (customer, time), scan order kept among equals.
    std::vector<uint32_t> customer_time_order() const;
    void add_line(uint64_t customer, int64_t ts, int64_t price, std::string_view order,
                  uint32_t item);
    std::string_view order_of(size_t row) const {
        return {order_bytes_.data() + order_at_[row], order_at_[row + 1] - order_at_[row]};
    }

    std::vector<uint64_t> customer_;
    std::vector<int64_t> ts_, price_;
    std::vector<uint32_t> item_;  // interned item
    // Order ids, back to back: row r's is [order_at_[r], order_at_[r + 1]). They are coded per
    // customer in finish(), where a customer's few orders are compared directly: no global
    // table of every order id.
    std::vector<char> order_bytes_;
    std::vector<uint64_t> order_at_{0};
    Interner items_, paths_;
    std::vector<PendingColumn> columns_;
    std::vector<size_t> row_columns_;  // begin_rows() layout -> columns_
    size_t expected_rows_ = 0;
    std::vector<std::pair<std::string, uint32_t>> catalog_;  // (item, path code)
};

}  // namespace sightline::evaluator_columnar
