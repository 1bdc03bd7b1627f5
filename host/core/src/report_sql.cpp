// What differs between the dialects in the reports' SQL: parameter placeholders and encodings,
// reading sums of money, the UTC day of a timestamp, and splitting category paths into their
// ancestors. The stored layouts are the targets' (target-sqlite: ts in µs and price in
// millionths as integers; target-postgres and target-greenplum: timestamptz and numeric(18,6)).
#include <stdexcept>

#include "report_internal.hpp"
#include "sightline/core/timestamp.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::core::report {

namespace {

// Requests lie after 0001-01-01 (validate()), but a lifecycle threshold (from - 36,500 days)
// may fall before it; no stored line is that old, so the first representable instant is as good
// a bound, and one that PostgreSQL reads without era suffixes.
constexpr int64_t kFirstInstant = -62'135'596'800'000'000;  // 0001-01-01T00:00:00Z

}  // namespace

Dialect dialect_named(const std::string& name) {
    if (name == "sqlite") return Dialect::sqlite;
    if (name == "postgresql") return Dialect::postgresql;
    if (name == "greenplum") return Dialect::greenplum;
    throw std::invalid_argument(
        "reports know the SQL dialects sqlite, postgresql and greenplum, not '" + name + "'");
}

std::string Statement::instant(int64_t us) {
    if (us < kFirstInstant) us = kFirstInstant;
    const std::string number = std::to_string(numbers_.size() + 1);
    if (sqlite()) {
        numbers_.push_back(us);
        texts_.emplace_back();
        return "?" + number;
    }
    numbers_.push_back(0);
    texts_.push_back(format_timestamp(us));  // ISO 8601 with Z: timestamptz input reads it
    return "$" + number + "::timestamptz";
}

void Statement::run(plugin::TenantStore& store, const std::string& sql,
                    const std::function<void(const plugin::SqlRow&)>& row) const {
    std::vector<plugin::Value> params(numbers_.size());
    for (size_t i = 0; i < params.size(); ++i) {
        params[i].present = true;
        if (texts_[i].empty()) {
            params[i].i = numbers_[i];
        } else {
            params[i].s = texts_[i];
        }
    }
    store.query(sql, params, row);
}

__int128 read_money(const plugin::SqlRow& row, size_t column, bool sqlite) {
    if (row.is_null(column)) return 0;  // a sum over no rows
    if (sqlite) return row.get_int64(column);
    // numeric text: -?digits(.digits)?, the scale of numeric(18,6) sums being 6.
    const std::string_view text = row.get_text(column);
    size_t at = 0;
    const bool negative = !text.empty() && text[0] == '-';
    if (negative) ++at;
    __int128 whole = 0, fraction = 0;
    for (; at < text.size() && text[at] != '.'; ++at) {
        if (text[at] < '0' || text[at] > '9')
            throw plugin::Error("report: unexpected number '" + std::string(text) + "'");
        whole = whole * 10 + (text[at] - '0');
    }
    int digits = 0;
    if (at < text.size()) ++at;  // the '.'
    for (; at < text.size(); ++at, ++digits) {
        if (text[at] < '0' || text[at] > '9' || (digits >= 6 && text[at] != '0'))
            throw plugin::Error("report: unexpected number '" + std::string(text) + "'");
        if (digits < 6) fraction = fraction * 10 + (text[at] - '0');
    }
    for (; digits < 6; ++digits) fraction *= 10;
    const __int128 value = whole * 1'000'000 + fraction;
    return negative ? -value : value;
}

std::string day_expression(Dialect d, const std::string& ts) {
    if (d == Dialect::sqlite) {
        // Integer division truncates towards zero: floor it for instants before 1970.
        return "(CASE WHEN " + ts + " >= 0 THEN " + ts + " / 86400000000 ELSE (" + ts +
               " + 1) / 86400000000 - 1 END)";
    }
    // date - date is an integer number of days: exact, whatever extract(epoch) returns on the
    // server's version (double precision before PostgreSQL 14 and on Greenplum).
    return "((" + ts + " AT TIME ZONE 'UTC')::date - DATE '1970-01-01')";
}

std::string item_categories_sql(Dialect d) {
    if (d == Dialect::sqlite) {
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

}  // namespace sightline::core::report
