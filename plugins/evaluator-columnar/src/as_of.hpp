// What a snapshot holds as of an instant T: per customer, the end of its lines at or before T
// (a prefix, since each customer's lines are in time order), the universe (customers with such a
// line), and the purchases (orders whose net total over those lines is > 0) with their times.
// And the scratch a pass decodes one customer's run of lines into.
#pragma once

#include <cstdint>
#include <vector>

#include "bitset.hpp"
#include "sightline/plugin/report.hpp"
#include "snapshot.hpp"

namespace sightline::evaluator_columnar {

using Wide = plugin::report::Money;

// A buffer for one customer's lines of one column (sized by the snapshot's max_lines).
class Scratch {
public:
    explicit Scratch(const Snapshot& s) : buffer_(s.max_lines ? s.max_lines : 1) {}
    // The values of lines [begin, end): element 0 is line `begin`.
    const int64_t* load(const PackedInts& column, uint32_t begin, uint32_t end) {
        column.decode(begin, end, buffer_.data());
        return buffer_.data();
    }

private:
    std::vector<int64_t> buffer_;
};

// Lines of customer c with first_us <= ts <= last_us, within [line_start[c], end): [b, e).
struct LineRun {
    uint32_t begin = 0, end = 0;
};
LineRun lines_between(const Snapshot& s, size_t c, uint32_t end, int64_t first_us, int64_t last_us,
                      Scratch& times);

struct AsOf {
    int64_t instant = 0;
    std::vector<uint32_t> end;  // per customer: one past its last line at or before `instant`
    Bitset universe;
};

AsOf lines_as_of(const Snapshot& s, int64_t instant);

struct Purchases {
    std::vector<uint32_t> start;  // customers + 1: customer c's purchases [start[c], start[c+1])
    std::vector<int64_t> time;  // each purchase's time (its earliest line), ascending per customer
    std::vector<Wide> net;      // each purchase's net total (only when asked for)
    size_t count(size_t c) const { return start[c + 1] - start[c]; }
};

Purchases purchases_as_of(const Snapshot& s, const AsOf& as_of, bool with_net);

}  // namespace sightline::evaluator_columnar
