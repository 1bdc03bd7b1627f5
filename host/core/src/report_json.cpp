// The reports' JSON (shapes in docs/reports.md): days summed into periods, every period of the
// range present (zeros where there is no data, so that charts have no gaps), money as exact
// decimal text, ratios divided here on exact integers with one rounding rule for every target.
#include <algorithm>

#include "report_internal.hpp"
#include "sightline/core/decimal.hpp"
#include "sightline/core/timestamp.hpp"

namespace sightline::core::report {

namespace {

constexpr const char* kStageNames[kStages] = {"none", "first_time_buyer", "active", "defecting",
                                              "inactive"};

__int128 power_of_ten(int n) {
    __int128 p = 1;
    while (n-- > 0) p *= 10;
    return p;
}

// Per-period sums of per-day values: the day's period is the one that starts at or before it.
template <typename T, typename Add>
std::map<int64_t, T> by_period(const Request& r, const std::map<int64_t, T>& days, Add add) {
    std::map<int64_t, T> out;
    for (int64_t p : periods(r)) out[p] = T{};
    for (const auto& [day, value] : days) add(out[period_start(day, r.granularity)], value);
    return out;
}

void add_lines(LineTotals& a, const LineTotals& b) {
    a.gross += b.gross;
    a.returned += b.returned;
    a.lines += b.lines;
    a.return_lines += b.return_lines;
}

void add_orders(OrderTotals& a, const OrderTotals& b) {
    a.orders += b.orders;
    a.value += b.value;
}

std::string aov(const OrderTotals& o) { return divide(o.value, __int128{o.orders} * 1'000'000, 2); }

nlohmann::json period_head(int64_t start, Granularity g) {
    return {{"start", date_text(start)}, {"label", period_label(start, g)}};
}

nlohmann::json returns_fields(nlohmann::json out, const LineTotals& t) {
    out["gross"] = money(t.gross);
    out["returned"] = money(t.returned);
    out["share"] = divide(t.returned, t.gross, 6);
    out["lines"] = t.lines;
    out["return_lines"] = t.return_lines;
    return out;
}

}  // namespace

std::string divide(__int128 numerator, __int128 divisor, int decimals) {
    if (divisor == 0) return "0";
    const __int128 scaled = numerator * power_of_ten(decimals);
    __int128 quotient = scaled / divisor;
    const __int128 twice_rest = (scaled % divisor) * 2;
    // Half to even: exactly half-way rounds to the even neighbour, so no bias either way.
    if (twice_rest > divisor || (twice_rest == divisor && quotient % 2 != 0)) ++quotient;
    return format_decimal(quotient * power_of_ten(6 - decimals));
}

std::string money(__int128 millionths) { return format_decimal(millionths); }

nlohmann::json envelope(const Request& r, const std::string& name) {
    return {
        {"report", name}, {"from", format_timestamp(r.from_us)}, {"to", format_timestamp(r.to_us)}};
}

nlohmann::json revenue_json(const Request& r, const std::map<int64_t, LineTotals>& lines,
                            const std::map<int64_t, OrderTotals>& orders) {
    const auto line_periods = by_period(r, lines, add_lines);
    const auto order_periods = by_period(r, orders, add_orders);
    LineTotals line_sum;
    OrderTotals order_sum;
    nlohmann::json periods_json = nlohmann::json::array();
    for (const auto& [start, l] : line_periods) {
        const OrderTotals& o = order_periods.at(start);
        add_lines(line_sum, l);
        add_orders(order_sum, o);
        nlohmann::json p = period_head(start, r.granularity);
        p["revenue"] = money(l.gross - l.returned);
        p["orders"] = o.orders;
        p["order_value"] = money(o.value);
        p["aov"] = aov(o);
        periods_json.push_back(std::move(p));
    }
    nlohmann::json out = envelope(r, "revenue");
    out["granularity"] = to_string(r.granularity);
    out["totals"] = {{"revenue", money(line_sum.gross - line_sum.returned)},
                     {"orders", order_sum.orders},
                     {"order_value", money(order_sum.value)},
                     {"aov", aov(order_sum)}};
    out["periods"] = std::move(periods_json);
    return out;
}

nlohmann::json returns_json(const Request& r, const std::map<int64_t, LineTotals>& lines) {
    LineTotals sum;
    nlohmann::json periods_json = nlohmann::json::array();
    for (const auto& [start, l] : by_period(r, lines, add_lines)) {
        add_lines(sum, l);
        periods_json.push_back(returns_fields(period_head(start, r.granularity), l));
    }
    nlohmann::json out = envelope(r, "returns");
    out["granularity"] = to_string(r.granularity);
    out["totals"] = returns_fields(nlohmann::json::object(), sum);
    out["periods"] = std::move(periods_json);
    return out;
}

nlohmann::json lifecycle_json(const Request& r, const StageMatrix& m) {
    nlohmann::json at_from = nlohmann::json::object(), at_to = nlohmann::json::object();
    nlohmann::json transitions = nlohmann::json::object();
    for (int s = 1; s < kStages; ++s) {
        int64_t from_count = 0, to_count = 0;
        for (int t = 0; t < kStages; ++t) {
            from_count += m[s][t];
            to_count += m[t][s];
        }
        at_from[kStageNames[s]] = from_count;
        at_to[kStageNames[s]] = to_count;
    }
    for (int s = 0; s < kStages; ++s) {
        nlohmann::json row = nlohmann::json::object();
        for (int t = 0; t < kStages; ++t) row[kStageNames[t]] = m[s][t];
        transitions[kStageNames[s]] = std::move(row);
    }
    nlohmann::json out = envelope(r, "lifecycle");
    out["active_days"] = r.active_days;
    out["inactive_days"] = r.inactive_days;
    out["at_from"] = std::move(at_from);
    out["at_to"] = std::move(at_to);
    out["transitions"] = std::move(transitions);
    return out;
}

nlohmann::json top_json(const Request& r, const char* report, const char* key,
                        std::vector<Ranked> rows) {
    // Ties break by name in byte order (UTF-8 code point order), never by the database's
    // collation; by buyers, equal counts go by revenue first.
    auto list = [&](auto better) {
        std::sort(rows.begin(), rows.end(), better);
        nlohmann::json out = nlohmann::json::array();
        for (size_t i = 0; i < rows.size() && i < static_cast<size_t>(r.top); ++i) {
            out.push_back({{key, rows[i].name},
                           {"revenue", money(rows[i].revenue)},
                           {"buyers", rows[i].buyers}});
        }
        return out;
    };
    nlohmann::json out = envelope(r, report);
    out["top"] = r.top;
    out["by_revenue"] = list([](const Ranked& a, const Ranked& b) {
        if (a.revenue != b.revenue) return a.revenue > b.revenue;
        return a.name < b.name;
    });
    out["by_buyers"] = list([](const Ranked& a, const Ranked& b) {
        if (a.buyers != b.buyers) return a.buyers > b.buyers;
        if (a.revenue != b.revenue) return a.revenue > b.revenue;
        return a.name < b.name;
    });
    return out;
}

}  // namespace sightline::core::report
