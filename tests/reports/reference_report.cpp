#include "reference_report.hpp"

#include <algorithm>
#include <ctime>
#include <set>
#include <stdexcept>

namespace sightline::reporttest {

namespace {

using core::report::Granularity;
using core::report::Request;
using nlohmann::json;

constexpr int64_t kDay = 86'400'000'000;
constexpr const char* kStages[] = {"none", "first_time_buyer", "active", "defecting", "inactive"};

int64_t day_of(int64_t us) { return us >= 0 ? us / kDay : -((-us + kDay - 1) / kDay); }

std::tm calendar(int64_t day) {
    const time_t seconds = static_cast<time_t>(day * 86'400);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    return tm;
}

std::string strftime_text(int64_t day, const char* format) {
    const std::tm tm = calendar(day);
    char text[64];
    std::strftime(text, sizeof text, format, &tm);
    return text;
}

int64_t period_of(int64_t day, Granularity g) {
    const std::tm tm = calendar(day);
    if (g == Granularity::week) return day - (tm.tm_wday + 6) % 7;
    if (g == Granularity::month) return day - (tm.tm_mday - 1);
    return day;
}

std::string label(int64_t start, Granularity g) {
    if (g == Granularity::week) return strftime_text(start, "%G-W%V");
    if (g == Granularity::month) return strftime_text(start, "%Y-%m");
    return strftime_text(start, "%Y-%m-%d");
}

std::string instant_text(int64_t us) {
    const int64_t day = day_of(us);
    const int64_t in_day = us - day * kDay;
    std::string out = strftime_text(day, "%Y-%m-%d");
    char text[32];
    std::snprintf(text, sizeof text, "T%02d:%02d:%02d", static_cast<int>(in_day / 3'600'000'000),
                  static_cast<int>(in_day / 60'000'000 % 60),
                  static_cast<int>(in_day / 1'000'000 % 60));
    out += text;
    if (in_day % 1'000'000 != 0) {
        std::snprintf(text, sizeof text, ".%06d", static_cast<int>(in_day % 1'000'000));
        out += text;
    }
    return out + "Z";
}

std::string digits(unsigned __int128 v) {
    std::string out;
    do {
        out.insert(out.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
        v /= 10;
    } while (v != 0);
    return out;
}

// Millionths as the shortest exact decimal text.
std::string money(__int128 v) {
    const bool negative = v < 0;
    const unsigned __int128 magnitude = negative ? -static_cast<unsigned __int128>(v) : v;
    std::string fraction = digits(magnitude % 1'000'000 + 1'000'000).substr(1);
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
    return (negative && magnitude != 0 ? "-" : "") + digits(magnitude / 1'000'000) +
           (fraction.empty() ? "" : "." + fraction);
}

// n / d to `places` decimals by long division, half to even on the remainder; "0" for d = 0.
std::string ratio(__int128 n, __int128 d, int places) {
    if (d == 0) return "0";
    __int128 q = n / d, r = n % d;
    for (int i = 0; i < places; ++i) {
        q = q * 10 + (r * 10) / d;
        r = (r * 10) % d;
    }
    if (2 * r > d || (2 * r == d && q % 2 == 1)) ++q;
    for (int i = places; i < 6; ++i) q *= 10;
    return money(q);
}

std::vector<int64_t> periods(const Request& r) {
    std::set<int64_t> starts;
    for (int64_t d = day_of(r.from_us); d <= day_of(r.to_us - 1); ++d)
        starts.insert(period_of(d, r.granularity));
    return {starts.begin(), starts.end()};
}

bool in_range(const Line& l, const Request& r) { return l.ts >= r.from_us && l.ts < r.to_us; }

json head(const Request& r, const std::string& name) {
    return {{"report", name}, {"from", instant_text(r.from_us)}, {"to", instant_text(r.to_us)}};
}

struct Sums {
    __int128 gross = 0, returned = 0, order_value = 0;
    int64_t lines = 0, return_lines = 0, orders = 0;
};

// Per period sums of lines in the range and of purchases as of to - 1 µs timed in the range.
std::map<int64_t, Sums> period_sums(const TenantData& data, const Request& r) {
    std::map<int64_t, Sums> out;
    for (int64_t p : periods(r)) out[p];
    for (const Line& l : data.lines) {
        if (!in_range(l, r)) continue;
        Sums& s = out.at(period_of(day_of(l.ts), r.granularity));
        ++s.lines;
        if (l.price > 0) s.gross += l.price;
        if (l.price < 0) {
            s.returned -= l.price;
            ++s.return_lines;
        }
    }
    std::map<std::pair<uint64_t, std::string>, std::pair<int64_t, __int128>> orders;
    for (const Line& l : data.lines) {
        if (l.ts >= r.to_us) continue;
        auto [it, fresh] = orders.try_emplace({l.customer, l.order}, l.ts, 0);
        if (!fresh) it->second.first = std::min(it->second.first, l.ts);
        it->second.second += l.price;
    }
    for (const auto& [key, order] : orders) {
        if (order.second <= 0 || order.first < r.from_us) continue;
        Sums& s = out.at(period_of(day_of(order.first), r.granularity));
        ++s.orders;
        s.order_value += order.second;
    }
    return out;
}

json revenue(const TenantData& data, const Request& r) {
    json out = head(r, "revenue"), list = json::array();
    out["granularity"] = core::report::to_string(r.granularity);
    Sums total;
    for (const auto& [start, s] : period_sums(data, r)) {
        list.push_back({{"start", label(start, Granularity::day)},
                        {"label", label(start, r.granularity)},
                        {"revenue", money(s.gross - s.returned)},
                        {"orders", s.orders},
                        {"order_value", money(s.order_value)},
                        {"aov", ratio(s.order_value, __int128{s.orders} * 1'000'000, 2)}});
        total.gross += s.gross;
        total.returned += s.returned;
        total.orders += s.orders;
        total.order_value += s.order_value;
    }
    out["totals"] = {{"revenue", money(total.gross - total.returned)},
                     {"orders", total.orders},
                     {"order_value", money(total.order_value)},
                     {"aov", ratio(total.order_value, __int128{total.orders} * 1'000'000, 2)}};
    out["periods"] = list;
    return out;
}

json returns_fields(json out, const Sums& s) {
    out["gross"] = money(s.gross);
    out["returned"] = money(s.returned);
    out["share"] = ratio(s.returned, s.gross, 6);
    out["lines"] = s.lines;
    out["return_lines"] = s.return_lines;
    return out;
}

json returns(const TenantData& data, const Request& r) {
    json out = head(r, "returns"), list = json::array();
    out["granularity"] = core::report::to_string(r.granularity);
    Sums total;
    for (const auto& [start, s] : period_sums(data, r)) {
        list.push_back(returns_fields(
            {{"start", label(start, Granularity::day)}, {"label", label(start, r.granularity)}},
            s));
        total.gross += s.gross;
        total.returned += s.returned;
        total.lines += s.lines;
        total.return_lines += s.return_lines;
    }
    out["totals"] = returns_fields(json::object(), total);
    out["periods"] = list;
    return out;
}

// Each customer's stage as of `as_of` (the segments spec), 0 for no purchase.
std::map<uint64_t, int> stages(const TenantData& data, int64_t as_of, const Request& r) {
    std::map<std::pair<uint64_t, std::string>, std::pair<int64_t, int64_t>> orders;  // time, net
    for (const Line& l : data.lines) {
        if (l.ts > as_of) continue;
        auto [it, fresh] = orders.try_emplace({l.customer, l.order}, l.ts, 0);
        if (!fresh) it->second.first = std::min(it->second.first, l.ts);
        it->second.second += l.price;
    }
    std::map<uint64_t, std::pair<int, int64_t>> purchases;  // count, latest time
    for (const auto& [key, order] : orders) {
        if (order.second <= 0) continue;
        auto& p = purchases[key.first];
        p.second = p.first == 0 ? order.first : std::max(p.second, order.first);
        ++p.first;
    }
    std::map<uint64_t, int> out;
    for (const auto& [customer, p] : purchases) {
        if (p.second > as_of - int64_t{r.active_days} * kDay)
            out[customer] = p.first == 1 ? 1 : 2;
        else if (p.second > as_of - int64_t{r.inactive_days} * kDay)
            out[customer] = 3;
        else
            out[customer] = 4;
    }
    return out;
}

json lifecycle(const TenantData& data, const Request& r) {
    const auto at_from = stages(data, r.from_us, r), at_to = stages(data, r.to_us, r);
    std::set<uint64_t> universe;
    for (const Line& l : data.lines)
        if (l.ts <= r.to_us) universe.insert(l.customer);
    int64_t matrix[5][5] = {};
    for (uint64_t c : universe) {
        const auto a = at_from.find(c), b = at_to.find(c);
        ++matrix[a == at_from.end() ? 0 : a->second][b == at_to.end() ? 0 : b->second];
    }
    json out = head(r, "lifecycle");
    out["active_days"] = r.active_days;
    out["inactive_days"] = r.inactive_days;
    for (int s = 0; s < 5; ++s) {
        for (int t = 0; t < 5; ++t) out["transitions"][kStages[s]][kStages[t]] = matrix[s][t];
    }
    for (int s = 1; s < 5; ++s) {
        int64_t from = 0, to = 0;
        for (const auto& [c, stage] : at_from) from += stage == s;
        for (const auto& [c, stage] : at_to) to += stage == s;
        out["at_from"][kStages[s]] = from;
        out["at_to"][kStages[s]] = to;
    }
    return out;
}

struct Rank {
    __int128 revenue = 0;
    std::set<uint64_t> buyers;
};

json top(const Request& r, const std::string& name, const char* key,
         const std::map<std::string, Rank>& ranks) {
    struct Row {
        std::string name;
        __int128 revenue;
        int64_t buyers;
    };
    std::vector<Row> rows;
    for (const auto& [n, rank] : ranks)
        rows.push_back({n, rank.revenue, static_cast<int64_t>(rank.buyers.size())});
    auto take = [&](std::vector<Row> sorted) {
        json list = json::array();
        for (size_t i = 0; i < sorted.size() && i < static_cast<size_t>(r.top); ++i)
            list.push_back({{key, sorted[i].name},
                            {"revenue", money(sorted[i].revenue)},
                            {"buyers", sorted[i].buyers}});
        return list;
    };
    json out = head(r, name);
    out["top"] = r.top;
    // rows are in name order (from the map); stable sorts keep it among equals.
    auto by_revenue = rows;
    std::stable_sort(by_revenue.begin(), by_revenue.end(),
                     [](const Row& a, const Row& b) { return a.revenue > b.revenue; });
    out["by_revenue"] = take(by_revenue);
    auto by_buyers = by_revenue;
    std::stable_sort(by_buyers.begin(), by_buyers.end(),
                     [](const Row& a, const Row& b) { return a.buyers > b.buyers; });
    out["by_buyers"] = take(by_buyers);
    return out;
}

json top_items(const TenantData& data, const Request& r) {
    std::map<std::string, Rank> ranks;
    for (const Line& l : data.lines) {
        if (!in_range(l, r)) continue;
        ranks[l.item].revenue += l.price;
        if (l.price > 0) ranks[l.item].buyers.insert(l.customer);
    }
    return top(r, "top-items", "item", ranks);
}

json top_categories(const TenantData& data, const Request& r) {
    std::map<std::string, std::set<std::string>> categories;  // item -> itself and ancestors
    for (const auto& [item, path] : data.catalog) {
        for (size_t at = path.find('>'); at != std::string::npos; at = path.find('>', at + 1))
            categories[item].insert(path.substr(0, at));
        categories[item].insert(path);
    }
    std::map<std::string, Rank> ranks;
    for (const Line& l : data.lines) {
        if (!in_range(l, r)) continue;
        const auto it = categories.find(l.item);
        if (it == categories.end()) continue;
        for (const auto& c : it->second) {
            ranks[c].revenue += l.price;
            if (l.price > 0) ranks[c].buyers.insert(l.customer);
        }
    }
    return top(r, "top-categories", "category", ranks);
}

}  // namespace

TenantData read_tenant(plugin::TenantStore& store) {
    TenantData out;
    store.scan_sales([&](const plugin::Value* row) {
        Line l;
        l.order = std::string(row[0].s);
        l.ts = row[1].i;
        l.customer = row[2].u;
        l.item = std::string(row[3].s);
        l.price = row[4].i;
        out.lines.push_back(std::move(l));
    });
    store.query("SELECT item, path FROM catalog_categories", {}, [&](const plugin::SqlRow& row) {
        out.catalog.emplace(std::string(row.get_text(0)), std::string(row.get_text(1)));
    });
    return out;
}

json reference(const TenantData& data, const std::string& name, const Request& r) {
    if (name == "revenue") return revenue(data, r);
    if (name == "returns") return returns(data, r);
    if (name == "lifecycle") return lifecycle(data, r);
    if (name == "top-items") return top_items(data, r);
    if (name == "top-categories") return top_categories(data, r);
    if (name != "summary") throw std::invalid_argument("no reference for report " + name);
    json out = head(r, "summary");
    out["granularity"] = core::report::to_string(r.granularity);
    for (const char* part : {"revenue", "lifecycle", "top-items", "top-categories", "returns"})
        out[part] = reference(data, part, r);
    return out;
}

}  // namespace sightline::reporttest
