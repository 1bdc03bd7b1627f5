#include "report_totals.hpp"

#include <algorithm>

#include "report_sql.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::evaluator_sql {

namespace {

namespace rp = plugin::report;

constexpr int64_t kMicrosPerDay = 86'400'000'000;

int64_t days_before(int64_t us, int64_t days) { return us - days * kMicrosPerDay; }

// The stage of a customer with n purchases, the latest at `last`, as of an instant whose
// "within active_days" and "within inactive_days" bounds are the parameters (within means
// time > bound): 0 none, 1 first_time_buyer, 2 active, 3 defecting, 4 inactive.
std::string stage_case(const std::string& n, const std::string& last, const std::string& active,
                       const std::string& inactive) {
    return "CASE WHEN " + n + " = 0 THEN 0 WHEN " + last + " > " + active + " THEN (CASE WHEN " +
           n + " = 1 THEN 1 ELSE 2 END) WHEN " + last + " > " + inactive + " THEN 3 ELSE 4 END";
}

template <typename Day>
void sort_by_day(std::vector<Day>& days) {
    std::sort(days.begin(), days.end(), [](const Day& a, const Day& b) { return a.day < b.day; });
}

std::vector<rp::Ranked> ranked(plugin::TenantStore& store, const ReportStatement& st,
                               const std::string& sql) {
    std::vector<rp::Ranked> out;
    st.run(store, sql, [&](const plugin::SqlRow& row) {
        rp::Ranked r;
        r.name = std::string(row.get_text(0));
        r.revenue = read_money(row, 1, st.dialect());
        r.buyers = row.get_int64(2);
        out.push_back(std::move(r));
    });
    return out;
}

std::vector<rp::DayLines> lines_by_day(plugin::TenantStore& store, Dialect d,
                                       const rp::Request& r) {
    ReportStatement st(d);
    const std::string sql =
        "SELECT " + day_expression(d, "ts") +
        " AS day, sum(CASE WHEN price > 0 THEN price ELSE 0 END), "
        "sum(CASE WHEN price < 0 THEN -price ELSE 0 END), count(*), "
        "sum(CASE WHEN price < 0 THEN 1 ELSE 0 END) FROM sale_lines WHERE ts >= " +
        st.instant(r.from_us) + " AND ts < " + st.instant(r.to_us) + " GROUP BY 1";
    std::vector<rp::DayLines> out;
    st.run(store, sql, [&](const plugin::SqlRow& row) {
        rp::DayLines t;
        t.day = row.get_int64(0);
        t.gross = read_money(row, 1, d);
        t.returned = read_money(row, 2, d);
        t.lines = row.get_int64(3);
        t.return_lines = row.get_int64(4);
        out.push_back(t);
    });
    sort_by_day(out);
    return out;
}

std::vector<rp::DayOrders> orders_by_day(plugin::TenantStore& store, Dialect d,
                                         const rp::Request& r) {
    // Purchases as of the range's last instant (to - 1 µs): net totals over the lines before
    // `to`, grouped in the (customer, order_id, ts) index's order; time = the earliest line.
    ReportStatement st(d);
    const std::string to = st.instant(r.to_us), from = st.instant(r.from_us);
    const std::string sql = "SELECT " + day_expression(d, "t") +
                            " AS day, count(*), sum(net) FROM (SELECT min(ts) AS t, sum(price) "
                            "AS net FROM " +
                            all_lines(d) + " WHERE ts < " + to +
                            " GROUP BY customer, order_id) AS o WHERE net > 0 AND t >= " + from +
                            " GROUP BY 1";
    std::vector<rp::DayOrders> out;
    st.run(store, sql, [&](const plugin::SqlRow& row) {
        rp::DayOrders t;
        t.day = row.get_int64(0);
        t.orders = row.get_int64(1);
        t.value = read_money(row, 2, d);
        out.push_back(t);
    });
    sort_by_day(out);
    return out;
}

rp::StageMatrix stage_matrix(plugin::TenantStore& store, Dialect d, const rp::Request& r) {
    // One pass over the orders as of `to` gives the purchases as of `from` too: an order is a
    // purchase at `from` when its lines at or before `from` sum to more than 0 (its earliest line
    // is then at or before `from`, so its time is the same at both instants).
    ReportStatement st(d);
    const std::string from = st.instant(r.from_us), to = st.instant(r.to_us);
    const std::string from_active = st.instant(days_before(r.from_us, r.active_days));
    const std::string from_inactive = st.instant(days_before(r.from_us, r.inactive_days));
    const std::string to_active = st.instant(days_before(r.to_us, r.active_days));
    const std::string to_inactive = st.instant(days_before(r.to_us, r.inactive_days));
    const std::string sql =
        "WITH o AS (SELECT customer, min(ts) AS t, sum(price) AS net_to, "
        "sum(CASE WHEN ts <= " +
        from + " THEN price ELSE 0 END) AS net_from FROM " + all_lines(d) + " WHERE ts <= " + to +
        " GROUP BY customer, order_id), "
        "c AS (SELECT sum(CASE WHEN net_from > 0 THEN 1 ELSE 0 END) AS n_from, "
        "max(CASE WHEN net_from > 0 THEN t END) AS last_from, "
        "sum(CASE WHEN net_to > 0 THEN 1 ELSE 0 END) AS n_to, "
        "max(CASE WHEN net_to > 0 THEN t END) AS last_to FROM o GROUP BY customer) "
        "SELECT " +
        stage_case("n_from", "last_from", from_active, from_inactive) + " AS s_from, " +
        stage_case("n_to", "last_to", to_active, to_inactive) +
        " AS s_to, count(*) FROM c GROUP BY 1, 2";
    rp::StageMatrix out{};
    st.run(store, sql, [&](const plugin::SqlRow& row) {
        const int64_t a = row.get_int64(0), b = row.get_int64(1);
        if (a < 0 || a >= rp::kStageCount || b < 0 || b >= rp::kStageCount)
            throw plugin::Error("evaluator-sql: unexpected lifecycle stage code in a report");
        out[a][b] = row.get_int64(2);
    });
    return out;
}

std::vector<rp::Ranked> items(plugin::TenantStore& store, Dialect d, const rp::Request& r) {
    // Every item with a line in the range (a few thousand rows at most in practice); the host
    // ranks them, so that ties break by byte order whatever the database's collation.
    ReportStatement st(d);
    const std::string sql =
        "SELECT " + unindexed_item(d, "item") +
        " AS item, sum(price), count(DISTINCT CASE WHEN price > 0 THEN customer END) "
        "FROM sale_lines WHERE ts >= " +
        st.instant(r.from_us) + " AND ts < " + st.instant(r.to_us) + " GROUP BY 1";
    return ranked(store, st, sql);
}

std::vector<rp::Ranked> categories(plugin::TenantStore& store, Dialect d, const rp::Request& r) {
    // A line counts once in each category its item's paths equal or lie below (Shoes>Running
    // counts in Shoes>Running and in Shoes; an item in Shoes>Running and Shoes>Trail counts once
    // in Shoes). Items missing from the catalog belong to no category.
    // On SQLite, CROSS JOIN keeps the lines as the outer loop (one pass over the range, the
    // categories found through an automatic index): left to itself it walks the item index once
    // per (item, category) pair and reads most lines several times, over a minute on 1M lines
    // instead of about 2 s. PostgreSQL has no CROSS JOIN ... ON; there the item key is
    // unindexed_item().
    ReportStatement st(d);
    const std::string sql =
        "SELECT c.category, sum(l.price), "
        "count(DISTINCT CASE WHEN l.price > 0 THEN l.customer END) FROM sale_lines l " +
        std::string(d == Dialect::sqlite ? "CROSS JOIN " : "JOIN ") + item_categories_sql(d) +
        " AS c ON c.item = " + unindexed_item(d, "l.item") +
        " WHERE l.ts >= " + st.instant(r.from_us) + " AND l.ts < " + st.instant(r.to_us) +
        " GROUP BY c.category";
    return ranked(store, st, sql);
}

}  // namespace

rp::Totals compute_report_totals(const rp::Request& request, plugin::TenantStore& store,
                                 Dialect dialect) {
    if (request.from_us >= request.to_us)
        throw plugin::Error("evaluator-sql: a report range needs from < to");
    rp::Totals out;
    if (request.parts & rp::kLines) out.lines = lines_by_day(store, dialect, request);
    if (request.parts & rp::kOrders) out.orders = orders_by_day(store, dialect, request);
    if (request.parts & rp::kStages) out.stages = stage_matrix(store, dialect, request);
    if (request.parts & rp::kItems) out.items = items(store, dialect, request);
    if (request.parts & rp::kCategories) out.categories = categories(store, dialect, request);
    return out;
}

}  // namespace sightline::evaluator_sql
