// What a snapshot holds as of an instant T: per customer, the end of its lines at or before T
// (a prefix, since each customer's lines are in time order), the universe (customers with such a
// line), and the purchases (orders whose net total over those lines is > 0) with their times.
#pragma once

#include <cstdint>
#include <vector>

#include "bitset.hpp"
#include "sightline/plugin/report.hpp"
#include "snapshot.hpp"

namespace sightline::evaluator_columnar {

using Wide = plugin::report::Money;

struct AsOf {
    int64_t instant = 0;
    std::vector<uint32_t> end;  // per customer: one past its last line at or before `instant`
    Bitset universe;
};

AsOf lines_as_of(const Snapshot& s, int64_t instant);

// The first line of customer c at or after `t`, within [line_start[c], end).
uint32_t first_line_from(const Snapshot& s, size_t c, uint32_t end, int64_t t);

struct Purchases {
    std::vector<uint32_t> start;  // customers + 1: customer c's purchases [start[c], start[c+1])
    std::vector<int64_t> time;  // each purchase's time (its earliest line), ascending per customer
    std::vector<Wide> net;      // each purchase's net total (only when asked for)
    size_t count(size_t c) const { return start[c + 1] - start[c]; }
};

Purchases purchases_as_of(const Snapshot& s, const AsOf& as_of, bool with_net);

}  // namespace sightline::evaluator_columnar
