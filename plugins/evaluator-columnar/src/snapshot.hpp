// One tenant's sales lines as columns, grouped by customer (ascending id), each customer's lines
// in time order. Immutable once built: a new data version gets a new snapshot, and requests
// holding the old one (a shared_ptr) keep using it.
//
// Orders are numbered per customer in the order of their first line (local codes 0, 1, ...), so
// that an order's time as of any instant T is the time of its first line, and the orders that
// exist as of T are exactly codes 0..k-1 of the customer's lines at or before T.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "column.hpp"
#include "packed_ints.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::evaluator_columnar {

// A custom column: dictionary codes (string) or values (integer, decimal millionths, timestamp
// µs), with a presence bitmap (bit set: the cell has a value; an absent cell holds the base).
struct CustomColumn {
    std::string name;
    plugin::ValueType type = plugin::ValueType::string;
    PackedInts values;  // string: codes in `dict`; every other type: the value
    StringDict dict;    // string
    Column<uint64_t> present;

    bool is_text() const { return type == plugin::ValueType::string; }
    bool has(size_t line) const { return (present[line >> 6] >> (line & 63)) & 1; }
};

struct Snapshot {
    plugin::DataVersion version;

    // Customers, by position.
    Column<uint64_t> customers;    // ids, ascending
    Column<uint32_t> line_start;   // customers + 1: the customer's lines are [start[c], start[c+1])
    Column<uint32_t> order_start;  // customers + 1: global number of the customer's order 0

    // Lines, customer-major, each customer's in time order.
    PackedInts ts;     // µs
    PackedInts price;  // millionths
    PackedInts order;  // local order code (see above)
    PackedInts item;   // code in `items`

    StringDict items;      // item ids
    StringDict order_ids;  // by global order number (order_start[c] + local code)
    StringDict paths;      // catalog category paths
    // Per item code: the codes of its catalog paths, [item_path_start[i], item_path_start[i+1]).
    Column<uint32_t> item_path_start;
    Column<uint32_t> item_paths;

    std::vector<CustomColumn> custom;

    // The file bytes the columns point into, when the snapshot was read from disk.
    std::shared_ptr<const void> buffer;
    size_t buffer_bytes = 0;

    size_t lines() const { return ts.size(); }
    size_t customer_count() const { return customers.size(); }
    // The largest number of orders and of lines one customer has (scratch sizes of a pass).
    uint32_t max_orders = 0;
    uint32_t max_lines = 0;

    // Bytes of memory the snapshot holds (columns, dictionaries, file buffer).
    size_t memory_bytes() const;
    // The custom column of that name, or nullptr.
    const CustomColumn* column(const std::string& name) const;
};

using SnapshotPtr = std::shared_ptr<const Snapshot>;

}  // namespace sightline::evaluator_columnar
