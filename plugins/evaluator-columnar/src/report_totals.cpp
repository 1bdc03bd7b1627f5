#include "report_totals.hpp"

#include <map>
#include <string>
#include <unordered_map>

#include "as_of.hpp"

namespace sightline::evaluator_columnar {

namespace sp = sightline::plugin;
namespace rp = sightline::plugin::report;

namespace {

constexpr int64_t kMicrosPerDay = 86'400'000'000;

int64_t day_of(int64_t t) {
    const int64_t d = t / kMicrosPerDay;
    return (t % kMicrosPerDay < 0) ? d - 1 : d;
}

// Lines of customer c in [from, to): [first, end).
std::pair<uint32_t, uint32_t> lines_in_range(const Snapshot& s, size_t c, const AsOf& before_to,
                                             int64_t from, Scratch& times) {
    const LineRun run = lines_between(s, c, before_to.end[c], from, before_to.instant, times);
    return {run.begin, run.end};
}

// Per-day accumulators over the range's days: a dense array when the range spans a sane number
// of days (any real report), a map otherwise.
template <typename Day>
class Days {
public:
    Days(int64_t from, int64_t to) : first_(day_of(from)), last_(day_of(to - 1)) {
        if (last_ - first_ < kDenseLimit) dense_.resize(static_cast<size_t>(last_ - first_ + 1));
    }
    Day& at(int64_t t) {
        const int64_t day = day_of(t);
        if (dense_.empty()) return sparse_[day];
        return dense_[static_cast<size_t>(day - first_)];
    }
    // The days something was counted in, ascending.
    template <typename Used>
    std::vector<Day> used(Used&& counted) {
        std::vector<Day> out;
        for (size_t i = 0; i < dense_.size(); ++i)
            if (counted(dense_[i])) {
                dense_[i].day = first_ + static_cast<int64_t>(i);
                out.push_back(dense_[i]);
            }
        for (auto& [day, d] : sparse_) {
            d.day = day;
            out.push_back(d);
        }
        return out;
    }

private:
    static constexpr int64_t kDenseLimit = 1'000'000;
    int64_t first_, last_;
    std::vector<Day> dense_;
    std::map<int64_t, Day> sparse_;
};

std::vector<rp::DayLines> day_lines(const Snapshot& s, const AsOf& before_to, int64_t from) {
    Days<rp::DayLines> days(from, before_to.instant + 1);
    Scratch times(s), line_times(s), prices(s);
    for (size_t c = 0; c < s.customer_count(); ++c) {
        const auto [b, e] = lines_in_range(s, c, before_to, from, times);
        if (b == e) continue;
        const int64_t* ts = line_times.load(s.ts, b, e);
        const int64_t* prices_of = prices.load(s.price, b, e);
        for (uint32_t l = 0; l < e - b; ++l) {
            rp::DayLines& d = days.at(ts[l]);
            const int64_t price = prices_of[l];
            ++d.lines;
            if (price > 0) d.gross += price;
            if (price < 0) {
                d.returned -= price;
                ++d.return_lines;
            }
        }
    }
    return days.used([](const rp::DayLines& d) { return d.lines > 0; });
}

std::vector<rp::DayOrders> day_orders(const Snapshot& s, const AsOf& before_to, int64_t from) {
    const Purchases p = purchases_as_of(s, before_to, true);
    Days<rp::DayOrders> days(from, before_to.instant + 1);
    for (size_t k = 0; k < p.time.size(); ++k) {
        if (p.time[k] < from) continue;  // all are before `to`
        rp::DayOrders& d = days.at(p.time[k]);
        ++d.orders;
        d.value += p.net[k];
    }
    return days.used([](const rp::DayOrders& d) { return d.orders > 0; });
}

int stage(const Purchases& p, size_t c, int64_t instant, const rp::Request& r) {
    const size_t count = p.count(c);
    if (count == 0) return 0;
    const int64_t last = p.time[p.start[c + 1] - 1];
    if (last > instant - r.active_days * kMicrosPerDay) return count == 1 ? 1 : 2;
    return last > instant - r.inactive_days * kMicrosPerDay ? 3 : 4;
}

rp::StageMatrix stages(const Snapshot& s, const rp::Request& r) {
    const AsOf at_from = lines_as_of(s, r.from_us), at_to = lines_as_of(s, r.to_us);
    const Purchases p_from = purchases_as_of(s, at_from, false);
    const Purchases p_to = purchases_as_of(s, at_to, false);
    rp::StageMatrix m{};
    at_to.universe.for_each(
        [&](size_t c) { ++m[stage(p_from, c, r.from_us, r)][stage(p_to, c, r.to_us, r)]; });
    return m;
}

// Revenue and distinct buyers per key (an item or a category code).
struct Ranking {
    std::vector<rp::Money> revenue;
    std::vector<int64_t> buyers;
    std::vector<uint32_t> last_buyer;  // customer position + 1
    std::vector<uint8_t> seen;
    explicit Ranking(size_t n) : revenue(n, 0), buyers(n, 0), last_buyer(n, 0), seen(n, 0) {}
    void add(uint32_t key, int64_t price, uint32_t customer_mark) {
        seen[key] = 1;
        revenue[key] += price;
        if (price > 0 && last_buyer[key] != customer_mark) {
            last_buyer[key] = customer_mark;
            ++buyers[key];
        }
    }
    template <typename Name>
    std::vector<rp::Ranked> finish(Name&& name) const {
        std::vector<rp::Ranked> out;
        for (size_t k = 0; k < seen.size(); ++k)
            if (seen[k]) out.push_back({std::string(name(k)), revenue[k], buyers[k]});
        return out;
    }
};

// Every category of each item: its paths and their ancestors, once each.
struct Categories {
    std::vector<std::string> names;
    std::vector<uint32_t> start{0}, codes;  // per item code
};

Categories categories_of_items(const Snapshot& s) {
    Categories out;
    std::unordered_map<std::string, uint32_t> index;
    auto code = [&](const std::string& name) {
        auto [it, added] = index.emplace(name, static_cast<uint32_t>(out.names.size()));
        if (added) out.names.push_back(name);
        return it->second;
    };
    for (size_t i = 0; i < s.items.size(); ++i) {
        const size_t first = out.codes.size();
        for (uint32_t k = s.item_path_start[i]; k < s.item_path_start[i + 1]; ++k) {
            const std::string_view path = s.paths.at(s.item_paths[k]);
            for (size_t cut = 0; cut <= path.size(); ++cut) {
                if (cut != path.size() && path[cut] != '>') continue;
                const uint32_t c = code(std::string(path.substr(0, cut)));
                bool dup = false;
                for (size_t j = first; j < out.codes.size(); ++j) dup = dup || out.codes[j] == c;
                if (!dup) out.codes.push_back(c);
            }
        }
        out.start.push_back(static_cast<uint32_t>(out.codes.size()));
    }
    return out;
}

}  // namespace

rp::Totals compute_report_totals(const Snapshot& s, const rp::Request& r) {
    rp::Totals t;
    if (r.to_us <= r.from_us) return t;
    // Lines before `to` are the lines at or before to - 1 µs.
    const AsOf before_to = lines_as_of(s, r.to_us - 1);
    if (r.parts & rp::kLines) t.lines = day_lines(s, before_to, r.from_us);
    if (r.parts & rp::kOrders) t.orders = day_orders(s, before_to, r.from_us);
    if (r.parts & rp::kStages) t.stages = stages(s, r);
    const bool items = r.parts & rp::kItems, categories = r.parts & rp::kCategories;
    if (!items && !categories) return t;
    Ranking by_item(items ? s.items.size() : 0);
    const Categories cats = categories ? categories_of_items(s) : Categories{};
    Ranking by_category(cats.names.size());
    Scratch times(s), item_codes(s), prices(s);
    for (size_t c = 0; c < s.customer_count(); ++c) {
        const auto mark = static_cast<uint32_t>(c + 1);
        const auto [b, e] = lines_in_range(s, c, before_to, r.from_us, times);
        if (b == e) continue;
        const int64_t* item_of = item_codes.load(s.item, b, e);
        const int64_t* price = prices.load(s.price, b, e);
        for (uint32_t l = 0; l < e - b; ++l) {
            const auto item = static_cast<uint32_t>(item_of[l]);
            if (items) by_item.add(item, price[l], mark);
            if (categories)
                for (uint32_t k = cats.start[item]; k < cats.start[item + 1]; ++k)
                    by_category.add(cats.codes[k], price[l], mark);
        }
    }
    if (items) t.items = by_item.finish([&](size_t k) { return s.items.at(k); });
    if (categories) t.categories = by_category.finish([&](size_t k) { return cats.names[k]; });
    return t;
}

}  // namespace sightline::evaluator_columnar
