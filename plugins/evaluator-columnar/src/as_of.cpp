#include "as_of.hpp"

#include <algorithm>
#include <limits>

namespace sightline::evaluator_columnar {

LineRun lines_between(const Snapshot& s, size_t c, uint32_t end, int64_t first_us, int64_t last_us,
                      Scratch& times) {
    const uint32_t begin = s.line_start[c];
    if (begin == end || first_us > last_us) return {begin, begin};
    // The common case, a window holding all the customer's lines, needs no decoding.
    if (s.ts.at(begin) >= first_us && s.ts.at(end - 1) <= last_us) return {begin, end};
    const int64_t* ts = times.load(s.ts, begin, end);
    const int64_t* stop = ts + (end - begin);
    const int64_t* b = std::lower_bound(ts, stop, first_us);
    const int64_t* e = std::upper_bound(b, stop, last_us);
    return {begin + static_cast<uint32_t>(b - ts), begin + static_cast<uint32_t>(e - ts)};
}

AsOf lines_as_of(const Snapshot& s, int64_t instant) {
    AsOf a;
    a.instant = instant;
    const size_t customers = s.customer_count();
    a.end.resize(customers);
    a.universe = Bitset(customers);
    Scratch times(s);
    for (size_t c = 0; c < customers; ++c) {
        const LineRun run = lines_between(s, c, s.line_start[c + 1],
                                          std::numeric_limits<int64_t>::min(), instant, times);
        a.end[c] = run.end;
        if (run.end > run.begin) a.universe.set(c);
    }
    return a;
}

Purchases purchases_as_of(const Snapshot& s, const AsOf& as_of, bool with_net) {
    Purchases p;
    const size_t customers = s.customer_count();
    p.start.resize(customers + 1);
    // Per local order code of the current customer: net total and first time. Orders are coded
    // by first line, so the orders of a prefix are codes 0..k-1 and a code is new exactly when
    // it equals k.
    std::vector<Wide> net(s.max_orders + 1);
    std::vector<int64_t> first(s.max_orders + 1);
    Scratch times(s), prices(s), orders(s);
    for (size_t c = 0; c < customers; ++c) {
        p.start[c] = static_cast<uint32_t>(p.time.size());
        const uint32_t b = s.line_start[c], e = as_of.end[c];
        if (b == e) continue;
        const int64_t* ts = times.load(s.ts, b, e);
        const int64_t* price = prices.load(s.price, b, e);
        const int64_t* order = orders.load(s.order, b, e);
        uint32_t seen = 0;
        for (uint32_t l = 0; l < e - b; ++l) {
            const auto o = static_cast<uint32_t>(order[l]);
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
