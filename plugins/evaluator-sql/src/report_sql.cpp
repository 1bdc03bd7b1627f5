#include "report_sql.hpp"

#include "sightline/plugin/api.hpp"
#include "sql_text.hpp"

namespace sightline::evaluator_sql {

std::string ReportStatement::instant(int64_t us) {
    Param p;
    if (dialect_ == Dialect::sqlite) {
        p.number = us;
    } else {
        // Clamped to what timestamptz reads, far beyond any stored line: comparisons keep their
        // result (a lifecycle bound 36,500 days before a range in year 1 lies BC).
        p.is_text = true;
        p.text = pg_timestamptz_text(us);
    }
    params_.push_back(std::move(p));
    const std::string number = std::to_string(params_.size());
    return dialect_ == Dialect::sqlite ? "?" + number : "$" + number + "::timestamptz";
}

void ReportStatement::run(plugin::TenantStore& store, const std::string& sql,
                          const std::function<void(const plugin::SqlRow&)>& row) const {
    std::vector<plugin::Value> values(params_.size());
    for (size_t i = 0; i < params_.size(); ++i) {
        values[i].present = true;
        if (params_[i].is_text) {
            values[i].s = params_[i].text;
        } else {
            values[i].i = params_[i].number;
        }
    }
    store.query(sql, values, row);
}

plugin::report::Money read_money(const plugin::SqlRow& row, size_t column, Dialect dialect) {
    if (row.is_null(column)) return 0;
    if (dialect == Dialect::sqlite) return row.get_int64(column);
    // numeric text: -?digits(.digits)?, the scale of numeric(18,6) sums being 6.
    const std::string_view text = row.get_text(column);
    auto bad = [&] {
        return plugin::Error("evaluator-sql: unexpected number '" + std::string(text) +
                             "' in a report");
    };
    size_t at = 0;
    const bool negative = !text.empty() && text[0] == '-';
    if (negative) ++at;
    plugin::report::Money whole = 0, fraction = 0;
    for (; at < text.size() && text[at] != '.'; ++at) {
        if (text[at] < '0' || text[at] > '9') throw bad();
        whole = whole * 10 + (text[at] - '0');
    }
    int digits = 0;
    if (at < text.size()) ++at;  // the '.'
    for (; at < text.size(); ++at, ++digits) {
        if (text[at] < '0' || text[at] > '9' || (digits >= 6 && text[at] != '0')) throw bad();
        if (digits < 6) fraction = fraction * 10 + (text[at] - '0');
    }
    for (; digits < 6; ++digits) fraction *= 10;
    const plugin::report::Money value = whole * 1'000'000 + fraction;
    return negative ? -value : value;
}

std::string day_expression(Dialect dialect, const std::string& ts) {
    if (dialect == Dialect::sqlite) {
        // Integer division truncates towards zero: floor it for instants before 1970.
        return "(CASE WHEN " + ts + " >= 0 THEN " + ts + " / 86400000000 ELSE (" + ts +
               " + 1) / 86400000000 - 1 END)";
    }
    // date - date is an integer number of days: exact, whatever extract(epoch) returns on the
    // server's version (double precision before PostgreSQL 14 and on Greenplum).
    return "((" + ts + " AT TIME ZONE 'UTC')::date - DATE '1970-01-01')";
}

std::string item_categories_sql(Dialect dialect) {
    if (dialect == Dialect::sqlite) {
        // Walk each path level by level: prefix grows by one level per step ("Shoes", then
        // "Shoes>Running"); rest is what is left, with a closing '>' so that each step cuts at one.
        return "(WITH RECURSIVE levels(item, prefix, rest) AS ("
               "SELECT item, '', path || '>' FROM catalog_categories "
               "UNION ALL SELECT item, "
               "prefix || (CASE WHEN prefix = '' THEN '' ELSE '>' END) || "
               "substr(rest, 1, instr(rest, '>') - 1), substr(rest, instr(rest, '>') + 1) "
               "FROM levels WHERE rest <> '') "
               "SELECT DISTINCT item, prefix AS category FROM levels WHERE prefix <> '')";
    }
    // No recursive CTE and no LATERAL (Greenplum 6 has neither by default): a set-returning
    // function in the select list numbers the levels, an array slice keeps the first n.
    return "(SELECT DISTINCT item, array_to_string((string_to_array(path, '>'))[1:n], '>') "
           "AS category FROM (SELECT item, path, "
           "generate_series(1, array_length(string_to_array(path, '>'), 1)) AS n "
           "FROM catalog_categories) AS levels)";
}

std::string all_lines(Dialect dialect) {
    return dialect == Dialect::sqlite ? "sale_lines NOT INDEXED" : "sale_lines";
}

std::string unindexed_item(Dialect dialect, const std::string& column) {
    return dialect == Dialect::sqlite ? column : "(" + column + " || '')";
}

}  // namespace sightline::evaluator_sql
