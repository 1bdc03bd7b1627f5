// Segment definitions (language v1, shared/specs/segments.md) as the host hands them to
// evaluators (API 1.2): parsed, validated and normalised, so that no evaluator parses JSON or
// re-derives a rounding rule. Evaluators read this tree; they never see definition text.
//
// Normalisation done by the host (docs/segments.md has the reasons):
//  * every number is exact: revenue bounds and decimal field values in millionths, counts and
//    integer field values as integers, date and timestamp values in µs since the epoch (UTC);
//  * a decimal bound with more than 6 decimal places is rounded inwards (min up, max down) and a
//    decimal field value that no stored value can equal is replaced by kUnreachableDecimal
//    (lt/ge round up, le/gt round down first), so comparisons on stored millionths stay exact;
//  * windows and day counts become closed ranges of µs through resolve() below, given as_of.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "sightline/plugin/data.hpp"

namespace sightline::plugin::segment {

constexpr int64_t kMicrosPerDay = 86'400'000'000;

// Larger in magnitude than any stored decimal (|v| < 10^12, i.e. 10^18 millionths): equal to no
// stored value, greater than all of them (its negation is less than all of them).
constexpr int64_t kUnreachableDecimal = 1'000'000'000'000'000'000;

enum class RuleKind : uint8_t {
    all,
    any,
    not_,
    purchased,
    orders,
    revenue,
    last_purchase,
    first_purchase,
    lifecycle,
    field,
};

enum class WindowKind : uint8_t { none, within_days, between };

// A window as written. resolve() turns it into the closed range of line times it selects.
struct Window {
    WindowKind kind = WindowKind::none;
    int64_t days = 0;      // within_days: N >= 1
    int64_t from_us = 0;   // between: first day 00:00:00 UTC
    int64_t until_us = 0;  // between: (second day + 1 day) 00:00:00 UTC, exclusive
};

// Closed range of instants in µs: first_us <= t <= last_us. Empty when first_us > last_us.
struct TimeRange {
    int64_t first_us = std::numeric_limits<int64_t>::min();
    int64_t last_us = std::numeric_limits<int64_t>::max();
    bool empty() const { return first_us > last_us; }
    bool contains(int64_t t) const { return first_us <= t && t <= last_us; }
};

// The instants a window selects at as_of (always t <= as_of).
inline TimeRange resolve(const Window& w, int64_t as_of_us) {
    TimeRange r;
    r.last_us = as_of_us;
    switch (w.kind) {
        case WindowKind::none:
            break;
        case WindowKind::within_days:  // as_of - N days < t <= as_of
            r.first_us = as_of_us - w.days * kMicrosPerDay + 1;
            break;
        case WindowKind::between:  // from <= t < until, t <= as_of
            r.first_us = w.from_us;
            if (w.until_us - 1 < r.last_us) r.last_us = w.until_us - 1;
            break;
    }
    return r;
}

// "within the last N days" (t > as_of - N days) and "at least M days old" (t <= as_of - M
// days) of last_purchase / first_purchase, as one closed range. Either may be absent.
inline TimeRange resolve_age(std::optional<int64_t> within_days, std::optional<int64_t> before_days,
                             int64_t as_of_us) {
    TimeRange r;
    if (within_days) r.first_us = as_of_us - *within_days * kMicrosPerDay + 1;
    if (before_days) r.last_us = as_of_us - *before_days * kMicrosPerDay;
    return r;
}

enum class Stage : uint8_t { first_time_buyer, active, defecting, inactive };

enum class FieldOp : uint8_t { eq, ne, lt, le, gt, ge, in, prefix };

// One comparison value, in the encoding of the field's column (data.hpp): text for string
// fields, number for the others (int64 value, decimal millionths, timestamp µs).
struct FieldValue {
    std::string text;
    int64_t number = 0;
};

struct FieldCondition {
    std::string name;                    // the custom column, e.g. "s_channel"
    ValueType type = ValueType::string;  // from the prefix: s_ string, i_ int64, f_ decimal,
                                         // d_ timestamp
    FieldOp op = FieldOp::eq;
    std::vector<FieldValue> values;  // exactly one, except for `in` (one or more)
};

struct Rule {
    RuleKind kind = RuleKind::all;
    std::vector<Rule> rules;  // all, any: one or more; not: exactly one
    Window window;            // purchased, orders, revenue, field
    // purchased: empty lists mean no filter.
    std::vector<std::string> items;
    std::vector<std::string> categories;  // canonical paths, e.g. "Shoes>Running"
    int64_t min_orders = 1;
    // orders: purchase counts; revenue: millionths (rounded inwards). At least one is set.
    std::optional<int64_t> min, max;
    // last_purchase, first_purchase: at least one is set (within_days >= 1, before_days >= 0).
    std::optional<int64_t> within_days, before_days;
    Stage stage = Stage::active;  // lifecycle
    FieldCondition field;         // field
};

struct Definition {
    std::string id;  // [a-z0-9][a-z0-9-]{0,63}
    std::string name;
    std::string description;
    Rule rule;
};

namespace detail {
inline std::string_view operand(const FieldValue& value, std::string_view) { return value.text; }
inline int64_t operand(const FieldValue& value, int64_t) { return value.number; }

template <typename T>
bool field_value_matches(FieldOp op, T v, const std::vector<FieldValue>& values) {
    const T x = values.empty() ? T() : operand(values[0], v);
    switch (op) {
        case FieldOp::eq:
            return v == x;
        case FieldOp::ne:
            return v != x;
        case FieldOp::lt:
            return v < x;
        case FieldOp::le:
            return v <= x;
        case FieldOp::gt:
            return v > x;
        case FieldOp::ge:
            return v >= x;
        case FieldOp::in:
            for (const auto& value : values)
                if (v == operand(value, v)) return true;
            return false;
        case FieldOp::prefix:  // text only (the host refuses it for numbers)
            if constexpr (std::is_same_v<T, std::string_view>)
                return v.substr(0, x.size()) == x;
            else
                return false;
    }
    return false;
}
}  // namespace detail

// Whether one stored value satisfies a field condition's comparison: the language's comparisons
// in one place for every evaluator. Text compares by bytes (std::string_view: the code-point
// order of UTF-8, never a collation); numbers in the column's int64 encoding (data.hpp). `in`
// matches any of the values; `prefix` is for text only (the host refuses it for numbers).
// A missing cell is the caller's: it never matches.
inline bool field_value_matches(FieldOp op, std::string_view v,
                                const std::vector<FieldValue>& values) {
    return detail::field_value_matches(op, v, values);
}
inline bool field_value_matches(FieldOp op, int64_t v, const std::vector<FieldValue>& values) {
    return detail::field_value_matches(op, v, values);
}

inline const char* to_string(RuleKind k) {
    switch (k) {
        case RuleKind::all:
            return "all";
        case RuleKind::any:
            return "any";
        case RuleKind::not_:
            return "not";
        case RuleKind::purchased:
            return "purchased";
        case RuleKind::orders:
            return "orders";
        case RuleKind::revenue:
            return "revenue";
        case RuleKind::last_purchase:
            return "last_purchase";
        case RuleKind::first_purchase:
            return "first_purchase";
        case RuleKind::lifecycle:
            return "lifecycle";
        case RuleKind::field:
            return "field";
    }
    return "?";
}

inline const char* to_string(Stage s) {
    switch (s) {
        case Stage::first_time_buyer:
            return "first_time_buyer";
        case Stage::active:
            return "active";
        case Stage::defecting:
            return "defecting";
        case Stage::inactive:
            return "inactive";
    }
    return "?";
}

inline const char* to_string(FieldOp op) {
    switch (op) {
        case FieldOp::eq:
            return "eq";
        case FieldOp::ne:
            return "ne";
        case FieldOp::lt:
            return "lt";
        case FieldOp::le:
            return "le";
        case FieldOp::gt:
            return "gt";
        case FieldOp::ge:
            return "ge";
        case FieldOp::in:
            return "in";
        case FieldOp::prefix:
            return "prefix";
    }
    return "?";
}

}  // namespace sightline::plugin::segment
