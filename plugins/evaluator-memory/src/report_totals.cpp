#include "report_totals.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "catalog.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::evaluator_memory {

namespace {

namespace rp = plugin::report;

// The fixed sales columns of a scanned row (sightline/plugin/data.hpp).
constexpr size_t kOrder = 0, kTimestamp = 1, kCustomer = 2, kItem = 3, kPrice = 4;
constexpr int64_t kMicrosPerDay = 86'400'000'000;

int64_t day_of(int64_t us) {  // floor division: instants before 1970 too
    int64_t day = us / kMicrosPerDay;
    if (us % kMicrosPerDay < 0) --day;
    return day;
}

// "An order is (customer, order id)." Its net total and earliest line are kept separately for
// each set of lines the definitions use: before `to` (orders), at or before `from` and at or
// before `to` (stages).
struct OrderState {
    struct AsOf {
        bool seen = false;  // the order has a line in this set
        rp::Money net = 0;
        int64_t time = 0;  // its earliest line in this set
        void add(int64_t t, int64_t price) {
            time = seen ? std::min(time, t) : t;
            seen = true;
            net += price;
        }
    };
    AsOf before_to, at_from, at_to;
};

// A customer's purchases as of an instant: how many, and the latest one's time.
struct Purchases {
    int64_t count = 0;
    int64_t last = 0;
};

// "first_time_buyer: exactly one purchase ever, made within active_days; active: more than one
// purchase, the latest within active_days; defecting: latest older than active_days and within
// inactive_days; inactive: latest older than inactive_days. Within N days: time > instant - N
// days." No purchase: none (0).
int stage(const Purchases& p, int64_t instant, const rp::Request& r) {
    if (p.count == 0) return 0;
    if (p.last > instant - r.active_days * kMicrosPerDay) return p.count == 1 ? 1 : 2;
    if (p.last > instant - r.inactive_days * kMicrosPerDay) return 3;
    return 4;
}

// Every category a catalog path equals or lies below: "Shoes>Running" gives "Shoes" and
// "Shoes>Running" (categories are compared by whole levels, cut at each '>').
void add_path_categories(const std::string& path, std::set<std::string>& into) {
    for (size_t at = path.find('>'); at != std::string::npos; at = path.find('>', at + 1))
        into.insert(path.substr(0, at));
    into.insert(path);
}

// item -> the categories a line of it counts in, each once (ancestors included).
std::unordered_map<std::string, std::set<std::string>> item_categories(plugin::TenantStore& store) {
    std::unordered_map<std::string, std::set<std::string>> out;
    auto add = [&](std::string_view item, std::string_view path) {
        if (!path.empty()) add_path_categories(std::string(path), out[std::string(item)]);
    };
    read_catalog(store, add);
    return out;
}

// Revenue and buyers of one item or category over the lines in the range.
struct RankedSums {
    rp::Money revenue = 0;
    std::set<uint64_t> buyers;  // customers with a line of it with price > 0
    void add(uint64_t customer, int64_t price) {
        revenue += price;
        if (price > 0) buyers.insert(customer);
    }
};

std::vector<rp::Ranked> ranked(const std::map<std::string, RankedSums>& sums) {
    std::vector<rp::Ranked> out;
    for (const auto& [name, s] : sums)
        out.push_back({name, s.revenue, static_cast<int64_t>(s.buyers.size())});
    return out;
}

}  // namespace

rp::Totals compute_report_totals(const rp::Request& r, plugin::TenantStore& store) {
    if (r.from_us >= r.to_us)
        throw plugin::Error("evaluator-memory: a report range needs from < to");
    const bool want_categories = (r.parts & rp::kCategories) != 0;
    const auto catalog = want_categories ? item_categories(store)
                                         : std::unordered_map<std::string, std::set<std::string>>{};

    std::map<int64_t, rp::DayLines> days;
    std::map<std::pair<uint64_t, std::string>, OrderState> orders;
    std::map<std::string, RankedSums> items, categories;
    std::set<uint64_t> customers_to;  // customers with a line at or before `to`
    store.scan_sales([&](const plugin::Value* row) {
        const int64_t t = row[kTimestamp].i;
        const int64_t price = row[kPrice].i;
        const uint64_t customer = row[kCustomer].u;
        // "A line is in the range when from <= timestamp < to."
        if (r.from_us <= t && t < r.to_us) {
            rp::DayLines& d = days[day_of(t)];
            d.day = day_of(t);
            if (price > 0) d.gross += price;
            if (price < 0) d.returned -= price;
            ++d.lines;
            if (price < 0) ++d.return_lines;
            const std::string item(row[kItem].s);
            items[item].add(customer, price);
            if (want_categories) {
                if (auto found = catalog.find(item); found != catalog.end())
                    for (const std::string& category : found->second)
                        categories[category].add(customer, price);
            }
        }
        if (t > r.to_us) return;
        OrderState& o = orders[{customer, std::string(row[kOrder].s)}];
        if (t < r.to_us) o.before_to.add(t, price);
        if (t <= r.from_us) o.at_from.add(t, price);
        o.at_to.add(t, price);
        customers_to.insert(customer);
    });

    rp::Totals out;
    if (r.parts & rp::kLines)
        for (const auto& [day, d] : days) out.lines.push_back(d);
    if (r.parts & rp::kOrders) {
        // "A purchase is an order whose net total is greater than 0; its time is its earliest
        // line." Orders: purchases as of to - 1 µs whose time is in the range.
        std::map<int64_t, rp::DayOrders> by_day;
        for (const auto& [key, o] : orders) {
            const auto& p = o.before_to;
            if (!p.seen || p.net <= 0 || p.time < r.from_us) continue;
            rp::DayOrders& d = by_day[day_of(p.time)];
            d.day = day_of(p.time);
            ++d.orders;
            d.value += p.net;
        }
        for (const auto& [day, d] : by_day) out.orders.push_back(d);
    }
    if (r.parts & rp::kStages) {
        std::map<uint64_t, Purchases> at_from, at_to;
        for (const auto& [key, o] : orders) {
            auto count = [&](const OrderState::AsOf& a, std::map<uint64_t, Purchases>& into) {
                if (!a.seen || a.net <= 0) return;
                Purchases& p = into[key.first];
                p.last = p.count == 0 ? a.time : std::max(p.last, a.time);
                ++p.count;
            };
            count(o.at_from, at_from);
            count(o.at_to, at_to);
        }
        for (uint64_t customer : customers_to) {
            const int a = stage(at_from[customer], r.from_us, r);
            const int b = stage(at_to[customer], r.to_us, r);
            ++out.stages[a][b];
        }
    }
    if (r.parts & rp::kItems) out.items = ranked(items);
    if (want_categories) out.categories = ranked(categories);
    return out;
}

}  // namespace sightline::evaluator_memory
