#include "sql_compiler.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include "sightline/plugin/api.hpp"
#include "sql_text.hpp"

namespace sightline::evaluator_sql {

using plugin::Error;
using plugin::ValueType;
namespace seg = plugin::segment;

const char* to_string(Dialect dialect) {
    switch (dialect) {
        case Dialect::sqlite:
            return "sqlite";
        case Dialect::postgresql:
            return "postgresql";
        case Dialect::greenplum:
            return "greenplum";
    }
    return "?";
}

std::optional<Dialect> dialect_named(std::string_view name) {
    if (name == "sqlite") return Dialect::sqlite;
    if (name == "postgresql") return Dialect::postgresql;
    if (name == "greenplum") return Dialect::greenplum;
    return std::nullopt;
}

std::vector<plugin::Value> CompiledQuery::values() const {
    std::vector<plugin::Value> out(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
        out[i].present = true;
        if (params[i].is_text) {
            out[i].s = std::string_view(params[i].text.data(), params[i].text.size());
        } else {
            out[i].i = params[i].number;
        }
    }
    return out;
}

uint64_t decode_customer(Dialect dialect, int64_t stored) {
    const uint64_t bits = static_cast<uint64_t>(stored);
    return dialect == Dialect::sqlite ? bits ^ 0x8000000000000000ULL : bits;
}

bool uses_fields(const seg::Rule& rule) {
    if (rule.kind == seg::RuleKind::field) return true;
    return std::any_of(rule.rules.begin(), rule.rules.end(),
                       [](const seg::Rule& r) { return uses_fields(r); });
}

namespace {

constexpr int64_t kMinInstant = std::numeric_limits<int64_t>::min();
constexpr int64_t kMaxInstant = std::numeric_limits<int64_t>::max();

// as_of - days * 86,400 s + 1 µs: the first instant "within the last `days` days", or no bound
// (kMinInstant) when that lies before any representable instant. segment::resolve() computes
// the same without the overflow guard.
int64_t first_within(int64_t as_of_us, int64_t days) {
    int64_t span = 0, first = 0;
    if (__builtin_mul_overflow(days, seg::kMicrosPerDay, &span) ||
        __builtin_sub_overflow(as_of_us, span, &first) || first == kMaxInstant) {
        return days > 0 ? kMinInstant : kMaxInstant;
    }
    return first + 1;
}

// Lines (or purchases) a window selects, as segment::resolve(), saturating instead of
// overflowing for absurd day counts.
seg::TimeRange window_range(const seg::Window& w, int64_t as_of_us) {
    if (w.kind != seg::WindowKind::within_days) return seg::resolve(w, as_of_us);
    seg::TimeRange r;
    r.last_us = as_of_us;
    r.first_us = first_within(as_of_us, w.days);
    return r;
}

// segment::resolve_age(), saturating.
seg::TimeRange age_range(std::optional<int64_t> within_days, std::optional<int64_t> before_days,
                         int64_t as_of_us) {
    seg::TimeRange r;
    if (within_days) r.first_us = first_within(as_of_us, *within_days);
    if (before_days) {
        const int64_t first = first_within(as_of_us, *before_days);  // as_of - M days + 1
        r.last_us = first == kMinInstant   ? kMinInstant
                    : first == kMaxInstant ? kMaxInstant
                                           : first - 1;
    }
    return r;
}

// A fragment of SQL text together with the parameters it uses: `refs` says where in `text` a
// placeholder goes and which parameter (a slot of the compiler's pool) it stands for. Fragments
// concatenate with their parameters, so a fragment the compiler drops (a sub-rule simplified to
// the universe or the empty set) drops its parameters too; the statement's placeholders are
// numbered only once its final text is known (Compiler::render). Likewise `purchases` says
// whether the text reads the purchases CTE, which the statement defines only then.
struct Sql {
    struct Ref {
        size_t at;    // offset in text
        size_t slot;  // index in the compiler's parameter pool
    };
    std::string text;
    std::vector<Ref> refs;
    bool purchases = false;

    Sql() = default;
    Sql(const char* t) : text(t) {}             // NOLINT: implicit, for "..." + fragment
    Sql(std::string t) : text(std::move(t)) {}  // NOLINT: implicit, for names and the like
    bool empty() const { return text.empty() && refs.empty(); }
    Sql& operator+=(const Sql& other) {
        for (const Ref& r : other.refs) refs.push_back({r.at + text.size(), r.slot});
        text += other.text;
        purchases = purchases || other.purchases;
        return *this;
    }
    friend Sql operator+(Sql a, const Sql& b) {
        a += b;
        return a;
    }
};

// A set of customers, as SQL. `complement` nodes stand for "the universe minus these rows", so
// that `not`, and counts that include zero, need the universe only once, at the top.
struct Node {
    bool complement = false;
    Sql body;                 // empty: no rows (so an empty complement is the universe)
    bool compound = false;    // body is a compound SELECT: wrapped when it is an operand
    bool may_repeat = false;  // body is "sale_lines ... WHERE ...", one row per line
};

Node empty_set() { return Node{}; }
Node universe() { return Node{true, "", false, false}; }
bool is_empty_set(const Node& n) { return !n.complement && n.body.empty(); }
bool is_universe(const Node& n) { return n.complement && n.body.empty(); }

class Compiler {
public:
    explicit Compiler(const CompileInput& input) : in_(input) {}

    CompiledQuery run(const seg::Rule& rule) {
        const Node top = node(rule);
        CompiledQuery out;
        out.warnings = std::move(warnings_);
        if (is_empty_set(top)) return out;
        Sql statement;
        if (is_universe(top)) {
            statement = "SELECT DISTINCT customer FROM sale_lines WHERE " + as_of_condition();
        } else if (top.complement) {
            statement = "SELECT customer FROM sale_lines WHERE " + as_of_condition() + " EXCEPT " +
                        operand(top);
        } else {
            statement = standalone(top);
        }
        if (statement.purchases) {
            // Orders with a net total > 0 over the lines at or before as_of; time = earliest line.
            statement = "WITH purchases AS (SELECT customer, min(ts) AS t FROM " +
                        lines(seg::resolve(seg::Window{}, in_.as_of_us), false) +
                        // In the index's order (customer, order_id, ts): the groups come out sorted
                        // by customer, so the rules grouping purchases per customer stream them
                        // instead of hashing about a million orders (2.3x faster on PostgreSQL
                        // with 1M lines, docs/benchmarks.md).
                        " GROUP BY customer, order_id" + " HAVING sum(price) > 0) " + statement;
        }
        render(statement + " ORDER BY customer", out);
        return out;
    }

private:
    bool sqlite() const { return in_.dialect == Dialect::sqlite; }
    // Whether a stored string could equal this text: PostgreSQL text never holds a NUL (and a
    // text parameter would end at it); SQLite binds the whole text with its length.
    bool storable(const std::string& text) const {
        return sqlite() || text.find('\0') == std::string::npos;
    }

    // --- parameters -------------------------------------------------------------------------
    // A parameter of the pool (equal values of the same type share one) as a fragment.
    Sql placeholder(Param p, const char* pg_type) {
        const auto key = std::make_tuple(std::string(pg_type), p.is_text, p.number, p.text);
        auto it = memo_.find(key);
        size_t slot = 0;
        if (it != memo_.end()) {
            slot = it->second;
        } else {
            slot = pool_.size();
            pool_.push_back(Pooled{std::move(p), pg_type});
            memo_.emplace(key, slot);
        }
        Sql out;
        out.refs.push_back({0, slot});
        return out;
    }
    Sql int_param(int64_t v) { return placeholder(Param{false, "", v}, "bigint"); }
    Sql text_param(const std::string& v) { return placeholder(Param{true, v, 0}, "text"); }
    Sql instant_param(int64_t us) {
        if (sqlite()) return placeholder(Param{false, "", us}, "");
        return placeholder(Param{true, pg_timestamptz_text(us), 0}, "timestamptz");
    }
    Sql decimal_param(int64_t millionths) {
        if (sqlite()) return placeholder(Param{false, "", millionths}, "");
        return placeholder(Param{true, decimal_text(millionths), 0}, "numeric");
    }

    // The statement's text and parameters: only the parameters its text uses, numbered in the
    // order they were created (?1, ?2, ... or $1::type, ...).
    void render(const Sql& statement, CompiledQuery& out) const {
        std::vector<size_t> number(pool_.size(), 0);  // 0: unused
        for (const Sql::Ref& r : statement.refs) number[r.slot] = 1;
        for (size_t slot = 0; slot < pool_.size(); ++slot) {
            if (number[slot] == 0) continue;
            out.params.push_back(pool_[slot].param);
            number[slot] = out.params.size();
        }
        size_t copied = 0;
        for (const Sql::Ref& r : statement.refs) {
            out.sql.append(statement.text, copied, r.at - copied);
            copied = r.at;
            if (sqlite()) {
                out.sql += "?" + std::to_string(number[r.slot]);
            } else {
                out.sql += "$" + std::to_string(number[r.slot]) + "::" + pool_[r.slot].pg_type;
            }
        }
        out.sql.append(statement.text, copied, std::string::npos);
    }

    // The purchases CTE (see run()), by name.
    static Sql purchases() {
        Sql out = "purchases";
        out.purchases = true;
        return out;
    }

    // --- time conditions --------------------------------------------------------------------
    // Every line at or before as_of. On SQLite the unary + keeps the planner off the ts index
    // for a condition that nearly every line meets (it has no statistics to tell): the universe
    // then scans the covering (customer, order_id, ts) index.
    Sql as_of_condition() {
        return Sql(sqlite() ? "+ts" : "ts") + " <= " + instant_param(in_.as_of_us);
    }

    // "sale_lines WHERE <lines in r>". SQLite, without statistics, reads every line at or
    // before as_of through the (customer, order_id, ts) index to save the sort of GROUP BY
    // customer, with one table lookup per line for price or a custom column: 3-4 times slower
    // on 1M lines than a plain scan and a sort. So when the window selects every line and no
    // filter can use an index (indexed_filter: items or categories), say NOT INDEXED. Narrower
    // windows use the ts index.
    Sql lines(const seg::TimeRange& r, bool indexed_filter) {
        const bool everything = r.first_us == kMinInstant && r.last_us == in_.as_of_us;
        if (sqlite() && everything && !indexed_filter) {
            return "sale_lines NOT INDEXED WHERE ts <= " + instant_param(in_.as_of_us);
        }
        return "sale_lines WHERE " + line_window(r);
    }

    // Lines whose ts lies in r (r not empty, r.last_us <= as_of).
    Sql line_window(const seg::TimeRange& r) {
        if (r.first_us == kMinInstant) {
            if (r.last_us == in_.as_of_us) return as_of_condition();
            return "ts <= " + instant_param(r.last_us);
        }
        return "ts BETWEEN " + instant_param(r.first_us) + " AND " + instant_param(r.last_us);
    }

    // A condition on an aggregate or a purchase time (expr) in r; empty when every purchase
    // (all at or before as_of) meets it.
    Sql range_condition(const std::string& expr, const seg::TimeRange& r) {
        const bool low = r.first_us != kMinInstant;
        const bool high = r.last_us < in_.as_of_us;
        if (low && high) {
            return expr + " BETWEEN " + instant_param(r.first_us) + " AND " +
                   instant_param(r.last_us);
        }
        if (low) return expr + " >= " + instant_param(r.first_us);
        if (high) return expr + " <= " + instant_param(r.last_us);
        return "";
    }

    // --- set algebra ------------------------------------------------------------------------
    // A node's rows as an operand of INTERSECT / UNION / EXCEPT (which remove duplicates).
    Sql operand(const Node& n) {
        if (n.may_repeat) return "SELECT customer FROM " + n.body;
        if (n.compound) {
            return "SELECT customer FROM (" + n.body + ") AS s" + std::to_string(++aliases_);
        }
        return n.body;
    }
    // A node's rows, each customer once.
    Sql standalone(const Node& n) {
        return n.may_repeat ? "SELECT DISTINCT customer FROM " + n.body : n.body;
    }

    Sql join(const std::vector<Node>& nodes, const char* op) {
        Sql out;
        for (const auto& n : nodes) {
            if (!out.empty()) out += op;
            out += operand(n);
        }
        return out;
    }

    // (a1 INTERSECT a2 ...) EXCEPT b1 EXCEPT b2 ...: INTERSECT binds tighter than EXCEPT on
    // PostgreSQL and SQLite reads left to right, so both read it this way.
    Node intersect_except(const std::vector<Node>& keep, const std::vector<Node>& remove,
                          bool complement) {
        if (keep.size() == 1 && remove.empty()) {
            Node n = keep[0];
            n.complement = complement;
            return n;
        }
        Sql body = join(keep, " INTERSECT ");
        for (const auto& r : remove) body += " EXCEPT " + operand(r);
        return Node{complement, body, true, false};
    }

    // Every rule's rows lie in the universe, so A and not B = A EXCEPT B, and (De Morgan) a
    // conjunction of complements is the complement of a union.
    Node all_of(const std::vector<Node>& children) {
        std::vector<Node> sets, complements;
        for (const auto& c : children) {
            if (is_empty_set(c)) return empty_set();
            if (is_universe(c)) continue;
            (c.complement ? complements : sets).push_back(c);
        }
        if (sets.empty() && complements.empty()) return universe();
        if (sets.empty()) {
            if (complements.size() == 1) return complements[0];
            return Node{true, join(complements, " UNION "), true, false};
        }
        return intersect_except(sets, complements, false);
    }

    // A or not B = not (B EXCEPT A); (not B) or (not C) = not (B INTERSECT C).
    Node any_of(const std::vector<Node>& children) {
        std::vector<Node> sets, complements;
        for (const auto& c : children) {
            if (is_universe(c)) return universe();
            if (is_empty_set(c)) continue;
            (c.complement ? complements : sets).push_back(c);
        }
        if (sets.empty() && complements.empty()) return empty_set();
        if (complements.empty()) {
            if (sets.size() == 1) return sets[0];
            return Node{false, join(sets, " UNION "), true, false};
        }
        return intersect_except(complements, sets, true);
    }

    // --- rules ------------------------------------------------------------------------------
    Node node(const seg::Rule& rule) {
        switch (rule.kind) {
            case seg::RuleKind::all:
            case seg::RuleKind::any: {
                if (rule.rules.empty())
                    throw Error(std::string(seg::to_string(rule.kind)) +
                                " needs at least one rule");
                std::vector<Node> children;
                for (const auto& r : rule.rules) children.push_back(node(r));
                return rule.kind == seg::RuleKind::all ? all_of(children) : any_of(children);
            }
            case seg::RuleKind::not_: {
                if (rule.rules.size() != 1) throw Error("not needs exactly one rule");
                Node n = node(rule.rules[0]);
                n.complement = !n.complement;
                return n;
            }
            case seg::RuleKind::purchased:
                return purchased(rule);
            case seg::RuleKind::orders:
                return orders(rule);
            case seg::RuleKind::revenue:
                return revenue(rule);
            case seg::RuleKind::last_purchase:
            case seg::RuleKind::first_purchase:
                return purchase_age(rule);
            case seg::RuleKind::lifecycle:
                return lifecycle(rule.stage);
            case seg::RuleKind::field:
                return field(rule);
        }
        throw Error("unknown rule kind");
    }

    // Distinct orders with a line in the window, price > 0, item and category filters.
    Node purchased(const seg::Rule& rule) {
        const seg::TimeRange r = window_range(rule.window, in_.as_of_us);
        if (r.empty()) return empty_set();
        if (rule.min_orders <= 0) return universe();
        Sql where = " AND price > 0";
        if (!rule.items.empty()) {
            std::set<std::string> seen;
            Sql list;
            for (const auto& item : rule.items) {
                if (!storable(item) || !seen.insert(item).second) continue;
                if (!list.empty()) list += ", ";
                list += text_param(item);
            }
            if (list.empty()) return empty_set();  // no stored item can equal any of them
            where += " AND item IN (" + list + ")";
        }
        if (!rule.categories.empty()) {
            std::set<std::string> seen;
            Sql paths;
            for (const auto& category : rule.categories) {
                if (!storable(category) || !seen.insert(category).second) continue;
                if (!paths.empty()) paths += " OR ";
                // The category itself, or a path below it: it starts with "<category>>".
                // SQLite: that prefix as a range of the path index in byte order ('?' follows
                // '>'); PostgreSQL: starts_with, which the planner turns into the same range.
                paths += "path = " + text_param(category);
                if (sqlite()) {
                    paths += " OR (path >= " + text_param(category + ">") + " AND path < " +
                             text_param(category + "?") + ")";
                } else {
                    paths += " OR starts_with(path, " + text_param(category + ">") + ")";
                }
            }
            if (paths.empty()) return empty_set();
            where += " AND item IN (SELECT item FROM catalog_categories WHERE " + paths + ")";
        }
        const Sql from = lines(r, !rule.items.empty() || !rule.categories.empty()) + where;
        if (rule.min_orders == 1) return Node{false, from, false, true};
        return Node{false,
                    "SELECT customer FROM " + from +
                        " GROUP BY customer HAVING count(DISTINCT order_id) >= " +
                        int_param(rule.min_orders),
                    false, false};
    }

    // Number of purchases whose time is in the window, within [min, max].
    Node orders(const seg::Rule& rule) {
        const seg::TimeRange r = window_range(rule.window, in_.as_of_us);
        const bool zero_in = (!rule.min || *rule.min <= 0) && (!rule.max || *rule.max >= 0);
        if (r.empty()) return zero_in ? universe() : empty_set();
        if ((rule.max && *rule.max < 0) || (rule.min && rule.max && *rule.min > *rule.max)) {
            return empty_set();
        }
        if (zero_in && !rule.max) return universe();
        Sql sql = "SELECT customer FROM " + purchases();
        const Sql when = range_condition("t", r);
        if (!when.empty()) sql += " WHERE " + when;
        sql += " GROUP BY customer HAVING ";
        if (zero_in) {
            // Customers of the universe without a purchase in the window have 0: keep everyone
            // but those above the maximum.
            return Node{true, sql + "count(*) > " + int_param(*rule.max), false, false};
        }
        sql += "count(*) >= " + int_param(*rule.min);
        if (rule.max) sql += " AND count(*) <= " + int_param(*rule.max);
        return Node{false, sql, false, false};
    }

    // Sum of price over the lines in the window, within [min, max] (millionths).
    Node revenue(const seg::Rule& rule) {
        const seg::TimeRange r = window_range(rule.window, in_.as_of_us);
        const bool zero_in = (!rule.min || *rule.min <= 0) && (!rule.max || *rule.max >= 0);
        if (r.empty() || (!rule.min && !rule.max)) return zero_in ? universe() : empty_set();
        if (rule.min && rule.max && *rule.min > *rule.max) return empty_set();
        const Sql sql = "SELECT customer FROM " + lines(r, false) + " GROUP BY customer HAVING ";
        // Without a window every customer of the universe has lines in it: no complement.
        if (!zero_in || rule.window.kind == seg::WindowKind::none) {
            Sql having;
            if (rule.min) having = "sum(price) >= " + decimal_param(*rule.min);
            if (rule.max) {
                if (!having.empty()) having += " AND ";
                having += "sum(price) <= " + decimal_param(*rule.max);
            }
            return Node{false, sql + having, false, false};
        }
        // Customers with no line in the window have 0, which is in range: keep everyone but
        // those whose sum is outside.
        Sql outside;
        if (rule.min) outside = "sum(price) < " + decimal_param(*rule.min);
        if (rule.max) {
            if (!outside.empty()) outside += " OR ";
            outside += "sum(price) > " + decimal_param(*rule.max);
        }
        return Node{true, sql + outside, false, false};
    }

    // Time of the latest (last_purchase) or earliest (first_purchase) purchase in a range.
    Node purchase_age(const seg::Rule& rule) {
        const seg::TimeRange r = age_range(rule.within_days, rule.before_days, in_.as_of_us);
        if (r.empty()) return empty_set();
        const char* time = rule.kind == seg::RuleKind::last_purchase ? "max(t)" : "min(t)";
        Sql sql = "SELECT customer FROM " + purchases() + " GROUP BY customer";
        const Sql when = range_condition(time, r);
        if (!when.empty()) sql += " HAVING " + when;
        return Node{false, sql, false, false};
    }

    // Stages by number of purchases and time of the latest one; "within N days" is
    // t >= as_of - N days + 1 µs, "older than" its complement.
    Node lifecycle(seg::Stage stage) {
        const int64_t active = first_within(in_.as_of_us, in_.active_days);
        const int64_t inactive = first_within(in_.as_of_us, in_.inactive_days);
        Sql having;
        switch (stage) {
            case seg::Stage::first_time_buyer:
                having = "count(*) = 1 AND max(t) >= " + instant_param(active);
                break;
            case seg::Stage::active:
                having = "count(*) > 1 AND max(t) >= " + instant_param(active);
                break;
            case seg::Stage::defecting:
                having = "max(t) < " + instant_param(active) +
                         " AND max(t) >= " + instant_param(inactive);
                break;
            case seg::Stage::inactive:
                having = "max(t) < " + instant_param(inactive);
                break;
        }
        return Node{false,
                    "SELECT customer FROM " + purchases() + " GROUP BY customer HAVING " + having,
                    false, false};
    }

    // A line in the window whose custom field is present and satisfies the comparison.
    Node field(const seg::Rule& rule) {
        const seg::FieldCondition& f = rule.field;
        const auto column = std::find_if(in_.custom_columns.begin(), in_.custom_columns.end(),
                                         [&](const plugin::Column& c) { return c.name == f.name; });
        if (column == in_.custom_columns.end()) return empty_set();  // the host warns
        if (column->type != f.type) {
            warnings_.push_back("field " + f.name + " is stored as " +
                                plugin::to_string(column->type) + ", not " +
                                plugin::to_string(f.type) + ": it matches no line");
            return empty_set();
        }
        if (f.values.empty()) throw Error("field " + f.name + ": no value to compare with");
        if (f.op != seg::FieldOp::in && f.values.size() != 1) {
            throw Error("field " + f.name + ": " + seg::to_string(f.op) + " takes one value");
        }
        const seg::TimeRange r = window_range(rule.window, in_.as_of_us);
        if (r.empty()) return empty_set();

        const std::string name = quote_identifier(f.name);
        const bool text = f.type == ValueType::string;
        seg::FieldOp op = f.op;
        std::vector<seg::FieldValue> values = f.values;
        if (text && !std::all_of(values.begin(), values.end(),
                                 [&](const seg::FieldValue& v) { return storable(v.text); })) {
            // PostgreSQL text holds no NUL and a parameter ends at one: compare with what
            // stored values can be instead. Nothing equals or starts with such a value; it
            // sorts right after its part before the NUL (p), so < and <= mean <= p, > and >=
            // mean > p.
            auto& v = values[0].text;
            switch (op) {
                case seg::FieldOp::eq:
                case seg::FieldOp::prefix:
                    return empty_set();
                case seg::FieldOp::ne:
                    return Node{false, lines(r, false) + " AND " + name + " IS NOT NULL", false,
                                true};
                case seg::FieldOp::lt:
                case seg::FieldOp::le:
                    v.resize(v.find('\0'));
                    op = seg::FieldOp::le;
                    break;
                case seg::FieldOp::gt:
                case seg::FieldOp::ge:
                    v.resize(v.find('\0'));
                    op = seg::FieldOp::gt;
                    break;
                case seg::FieldOp::in:
                    values.erase(
                        std::remove_if(values.begin(), values.end(),
                                       [&](const seg::FieldValue& x) { return !storable(x.text); }),
                        values.end());
                    if (values.empty()) return empty_set();
                    break;
            }
        }
        auto value = [&](const seg::FieldValue& v) {
            switch (f.type) {
                case ValueType::string:
                    return text_param(v.text);
                case ValueType::decimal:
                    return decimal_param(v.number);
                case ValueType::timestamp:
                    return instant_param(v.number);
                default:
                    return int_param(v.number);
            }
        };
        // Strings compare by code point: SQLite's BINARY collation is UTF-8 byte order; on
        // PostgreSQL COLLATE "C" whatever the database's collation.
        const std::string lhs = text && !sqlite() ? name + " COLLATE \"C\"" : name;
        Sql condition;
        switch (op) {
            case seg::FieldOp::eq:
                condition = lhs + " = " + value(values[0]);
                break;
            case seg::FieldOp::ne:
                condition = lhs + " <> " + value(values[0]);
                break;
            case seg::FieldOp::lt:
                condition = lhs + " < " + value(values[0]);
                break;
            case seg::FieldOp::le:
                condition = lhs + " <= " + value(values[0]);
                break;
            case seg::FieldOp::gt:
                condition = lhs + " > " + value(values[0]);
                break;
            case seg::FieldOp::ge:
                condition = lhs + " >= " + value(values[0]);
                break;
            case seg::FieldOp::in: {
                Sql list;
                std::set<size_t> seen;  // equal values share a placeholder
                for (const auto& v : values) {
                    const Sql p = value(v);
                    if (!seen.insert(p.refs[0].slot).second) continue;
                    if (!list.empty()) list += ", ";
                    list += p;
                }
                condition = lhs + " IN (" + list + ")";
                break;
            }
            case seg::FieldOp::prefix: {
                if (!text) throw Error("field " + f.name + ": prefix applies to s_ fields only");
                // A literal prefix: no LIKE (wildcards, case folding). SQLite's substr counts
                // code points of text.
                const std::string& prefix = values[0].text;
                if (sqlite()) {
                    condition = "substr(" + name + ", 1, " + int_param(code_points(prefix)) +
                                ") = " + text_param(prefix);
                } else {
                    condition = "starts_with(" + name + ", " + text_param(prefix) + ")";
                }
                break;
            }
        }
        return Node{false, lines(r, false) + " AND " + condition, false, true};
    }

    const CompileInput& in_;
    struct Pooled {
        Param param;
        const char* pg_type;
    };
    std::vector<Pooled> pool_;  // every parameter created, used by the statement or not
    std::map<std::tuple<std::string, bool, int64_t, std::string>, size_t> memo_;  // -> slot
    std::vector<std::string> warnings_;
    int aliases_ = 0;
};

}  // namespace

CompiledQuery compile(const seg::Rule& rule, const CompileInput& input) {
    return Compiler(input).run(rule);
}

}  // namespace sightline::evaluator_sql
