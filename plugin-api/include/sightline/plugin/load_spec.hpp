// What a target may rely on in every LoadSpec, checked in one place for every target plugin:
// the fixed columns of the kind in data.hpp's order, then custom columns whose names are safe as
// SQL identifiers and whose type prefix fits their type. Targets bind columns by position and
// splice custom column names into DDL, so they check the spec before using it. Header-only.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "sightline/plugin/api.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::plugin {

inline constexpr std::pair<const char*, ValueType> sales_fixed[sales_fixed_columns] = {
    {"order", ValueType::string},    {"timestamp", ValueType::timestamp},
    {"customer", ValueType::uint64}, {"item", ValueType::string},
    {"price", ValueType::decimal},   {"quantity", ValueType::decimal},
};
inline constexpr std::pair<const char*, ValueType> catalog_fixed[catalog_fixed_columns] = {
    {"item", ValueType::string},
    {"category", ValueType::string},
    {"title", ValueType::string},
    {"brand", ValueType::string},
};

// The type a custom column's prefix gives it (s_ string, i_ int64, f_ decimal, d_ timestamp).
inline bool custom_prefix_fits(char prefix, ValueType type) {
    switch (prefix) {
        case 's':
            return type == ValueType::string;
        case 'i':
            return type == ValueType::int64;
        case 'f':
            return type == ValueType::decimal;
        case 'd':
            return type == ValueType::timestamp;
        default:
            return false;
    }
}

// Throws Error unless the name is <prefix>_[a-z0-9_]{1,48} and the prefix fits the type.
inline void check_custom_column(const Column& column) {
    const std::string& name = column.name;
    bool ok = name.size() >= 3 && name.size() <= 50 && name[1] == '_';
    for (size_t i = 2; ok && i < name.size(); ++i) {
        const char c = name[i];
        ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    }
    if (!ok) throw Error("invalid custom column name '" + name + "'");
    if (!custom_prefix_fits(name[0], column.type))
        throw Error("custom column '" + name + "' cannot hold values of type " +
                    to_string(column.type));
}

// The type a custom column registry stored as to_string(type); throws Error naming the column.
inline ValueType custom_type_named(std::string_view text, const std::string& column) {
    for (ValueType type :
         {ValueType::string, ValueType::int64, ValueType::decimal, ValueType::timestamp}) {
        if (text == to_string(type)) return type;
    }
    throw Error("custom column '" + column + "' has unknown type '" + std::string(text) +
                "' in the database");
}

// The file format's limit of custom columns a tenant may have had over time (per file kind).
inline constexpr size_t max_custom_columns_per_tenant = 100;

// The custom columns of `wanted` (a file's) that the tenant does not have yet, in the file's
// order. Throws Error for an invalid or repeated name, a type that differs from the one the
// tenant has, or more than max_custom_columns_per_tenant in all. `what` names the registry in
// messages ("custom columns", "catalog custom columns").
inline std::vector<Column> new_custom_columns(const std::vector<Column>& existing,
                                              const std::vector<Column>& wanted,
                                              const std::string& what) {
    std::vector<Column> missing;
    auto named = [](const std::string& name) {
        return [&name](const Column& c) { return c.name == name; };
    };
    for (const auto& column : wanted) {
        check_custom_column(column);
        const auto known = std::find_if(existing.begin(), existing.end(), named(column.name));
        if (known != existing.end()) {
            // Cannot happen with valid names (the prefix fixes the type); guards a corrupt
            // registry.
            if (known->type != column.type)
                throw Error("custom column '" + column.name + "' is " + to_string(known->type) +
                            " in the tenant's data");
            continue;
        }
        if (std::any_of(missing.begin(), missing.end(), named(column.name)))
            throw Error("custom column '" + column.name + "' appears twice in the file");
        missing.push_back(column);
    }
    if (!missing.empty() && existing.size() + missing.size() > max_custom_columns_per_tenant)
        throw Error("tenant has reached " + std::to_string(max_custom_columns_per_tenant) + " " +
                    what + " (has " + std::to_string(existing.size()) + ", the file adds " +
                    std::to_string(missing.size()) + ", first new one '" + missing.front().name +
                    "')");
    return missing;
}

// Throws Error when the spec's fixed columns are not those of its kind, in order, or a custom
// column fails check_custom_column.
inline void check_load_spec(const LoadSpec& spec) {
    const bool sales = spec.kind == FileKind::sales;
    const auto* fixed = sales ? sales_fixed : catalog_fixed;
    const size_t n = sales ? sales_fixed_columns : catalog_fixed_columns;
    const char* kind = to_string(spec.kind);
    if (spec.columns.size() < n)
        throw Error(std::string("a ") + kind + " load needs its " + std::to_string(n) +
                    " fixed columns first; the spec has " + std::to_string(spec.columns.size()) +
                    " columns");
    for (size_t c = 0; c < n; ++c) {
        const Column& got = spec.columns[c];
        if (got.name != fixed[c].first || got.type != fixed[c].second)
            throw Error(std::string("column ") + std::to_string(c + 1) + " of a " + kind +
                        " load must be '" + fixed[c].first + "' (" + to_string(fixed[c].second) +
                        "), not '" + got.name + "' (" + to_string(got.type) + ")");
    }
    for (size_t c = n; c < spec.columns.size(); ++c) check_custom_column(spec.columns[c]);
}

}  // namespace sightline::plugin
