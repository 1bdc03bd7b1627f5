#include "as_of.hpp"

#include <algorithm>

namespace sightline::evaluator_columnar {

AsOf lines_as_of(const Snapshot& s, int64_t instant) {
    AsOf a;
    a.instant = instant;
    const size_t customers = s.customer_count();
    a.end.resize(customers);
    a.universe = Bitset(customers);
    const int64_t* ts = s.ts.data();
    for (size_t c = 0; c < customers; ++c) {
        const uint32_t first = s.line_start[c], last = s.line_start[c + 1];
        uint32_t end = last;
        if (ts[last - 1] > instant)
            end = static_cast<uint32_t>(std::upper_bound(ts + first, ts + last, instant) - ts);
        a.end[c] = end;
        if (end > first) a.universe.set(c);
    }
    return a;
}

uint32_t first_line_from(const Snapshot& s, size_t c, uint32_t end, int64_t t) {
    const int64_t* ts = s.ts.data();
    const uint32_t first = s.line_start[c];
    if (first == end || ts[first] >= t) return first;
    return static_cast<uint32_t>(std::lower_bound(ts + first, ts + end, t) - ts);
}

Purchases purchases_as_of(const Snapshot& s, const AsOf& as_of, bool with_net) {
    Purchases p;
    const size_t customers = s.customer_count();
    p.start.resize(customers + 1);
    // Per local order code of the current customer: net total and first time. Orders are coded
    // by first line, so the orders of a prefix are codes 0..k-1 and a code is new exactly when
    // it equals k.
    std::vector<Wide> net(s.max_orders);
    std::vector<int64_t> first(s.max_orders);
    const int64_t* ts = s.ts.data();
    const int64_t* price = s.price.data();
    const uint32_t* order = s.order.data();
    for (size_t c = 0; c < customers; ++c) {
        p.start[c] = static_cast<uint32_t>(p.time.size());
        uint32_t seen = 0;
        for (uint32_t l = s.line_start[c]; l < as_of.end[c]; ++l) {
            const uint32_t o = order[l];
            if (o == seen) {
                net[o] = 0;
                first[o] = ts[l];
                ++seen;
            }
            net[o] += price[l];
        }
        for (uint32_t o = 0; o < seen; ++o) {
            if (net[o] <= 0) continue;
            p.time.push_back(first[o]);
            if (with_net) p.net.push_back(net[o]);
        }
    }
    p.start[customers] = static_cast<uint32_t>(p.time.size());
    return p;
}

}  // namespace sightline::evaluator_columnar
