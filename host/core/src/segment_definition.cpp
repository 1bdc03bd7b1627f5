// The segment definition language v1: validation and normalisation (shared/specs/segments.md;
// the choices the spec leaves open are in docs/segments.md).
#include "sightline/core/segment_definition.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <regex>

#include "exact_number.hpp"
#include "segment_document.hpp"
#include "sightline/core/timestamp.hpp"
#include "sightline/core/utf8.hpp"

namespace sightline::core {

namespace seg = plugin::segment;
using segment_doc::Node;

namespace {

constexpr int64_t kMaxDays = 1'000'000;  // about 2,700 years: keeps µs arithmetic in range
constexpr size_t kMaxListItems = 10'000;
constexpr size_t kMaxDepth = 32;

size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = up;
        }
    }
    return row[b.size()];
}

std::string suggestion(const std::string& word, const std::vector<std::string>& known) {
    std::string best;
    size_t best_distance = std::max<size_t>(2, word.size() / 3) + 1;
    for (const auto& k : known) {
        const size_t d = edit_distance(word, k);
        if (d < best_distance) {
            best_distance = d;
            best = k;
        }
    }
    return best.empty() ? "" : "; did you mean '" + best + "'?";
}

std::string list_of(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

class Validator {
public:
    std::vector<DefinitionError> errors;

    seg::Definition definition(const Node& root) {
        seg::Definition d;
        if (!expect(root, Node::Kind::object, "")) return d;
        check_keys(root, "", {"id", "name", "description", "rule"});
        if (const Node* id = member(root, "id", "", true)) {
            if (string_value(*id, "id")) {
                static const std::regex kId("[a-z0-9][a-z0-9-]{0,63}");
                if (!std::regex_match(id->text, kId))
                    fail("id", "invalid_value",
                         "'" + id->text + "' is not a segment id: use [a-z0-9][a-z0-9-]{0,63}");
                d.id = id->text;
            }
        }
        if (const Node* name = member(root, "name", "", true)) {
            if (string_value(*name, "name")) {
                if (name->text.empty()) fail("name", "invalid_value", "the name is empty");
                d.name = name->text;
            }
        }
        if (const Node* description = member(root, "description", "", false)) {
            if (string_value(*description, "description")) d.description = description->text;
        }
        if (const Node* rule = member(root, "rule", "", true))
            d.rule = this->rule(*rule, "rule", 0);
        return d;
    }

private:
    void fail(const std::string& path, const std::string& code, const std::string& message) {
        errors.push_back({path, code, message});
    }

    bool expect(const Node& node, Node::Kind kind, const std::string& path) {
        if (node.kind == kind) return true;
        fail(path, "wrong_type",
             std::string("expected ") + segment_doc::kind_name(kind) + ", got " +
                 segment_doc::kind_name(node.kind));
        return false;
    }

    bool string_value(const Node& node, const std::string& path) {
        if (!expect(node, Node::Kind::string, path)) return false;
        if (!valid_utf8(node.text)) {
            fail(path, "invalid_value", "not valid UTF-8");
            return false;
        }
        if (node.text.find('\0') != std::string::npos) {
            fail(path, "invalid_value", "contains a NUL character");
            return false;
        }
        return true;
    }

    const Node* member(const Node& object, const std::string& key, const std::string& path,
                       bool required) {
        for (const auto& m : object.members) {
            if (m.first == key) return &m.second;
        }
        if (required) fail(join(path, key), "missing_key", "'" + key + "' is required");
        return nullptr;
    }

    static std::string join(const std::string& path, const std::string& key) {
        return path.empty() ? key : path + "." + key;
    }

    void check_keys(const Node& object, const std::string& path,
                    const std::vector<std::string>& allowed) {
        for (const auto& m : object.members) {
            if (std::find(allowed.begin(), allowed.end(), m.first) == allowed.end())
                fail(join(path, m.first), "unknown_key",
                     "unknown key '" + m.first + "'" + suggestion(m.first, allowed) +
                         " (allowed here: " + list_of(allowed) + ")");
        }
    }

    std::optional<ExactNumber> number(const Node& node, const std::string& path) {
        if (!expect(node, Node::Kind::number, path)) return std::nullopt;
        auto n = ExactNumber::parse(node.text);
        if (!n) fail(path, "invalid_value", "'" + node.text + "' is not a number this reads");
        return n;
    }

    std::optional<int64_t> integer(const Node& node, const std::string& path, int64_t min,
                                   int64_t max) {
        auto n = number(node, path);
        if (!n) return std::nullopt;
        const auto v = n->to_int64();
        if (!v) {
            fail(path, n->is_integer() ? "out_of_range" : "wrong_type",
                 n->is_integer() ? "out of range" : "expected a whole number, got " + node.text);
            return std::nullopt;
        }
        if (*v < min || *v > max) {
            fail(path, "out_of_range",
                 node.text + " is out of range: use " + std::to_string(min) + " to " +
                     std::to_string(max));
            return std::nullopt;
        }
        return v;
    }

    std::optional<int64_t> date(const Node& node, const std::string& path) {
        if (!string_value(node, path)) return std::nullopt;
        static const std::regex kDate("[0-9]{4}-[0-9]{2}-[0-9]{2}");
        std::string reason;
        const auto t =
            std::regex_match(node.text, kDate) ? parse_timestamp(node.text, reason) : std::nullopt;
        if (!t) {
            fail(path, "invalid_value",
                 "'" + node.text + "' is not a date YYYY-MM-DD" +
                     (reason.empty() ? "" : " (" + reason + ")"));
        }
        return t;
    }

    // The window keys of an object, if any.
    seg::Window window(const Node& object, const std::string& path) {
        seg::Window w;
        const Node* within = member(object, "within_days", path, false);
        const Node* between = member(object, "between", path, false);
        if (within && between) {
            fail(join(path, "between"), "conflict", "a window is within_days or between, not both");
            return w;
        }
        if (within) {
            if (auto days = integer(*within, join(path, "within_days"), 1, kMaxDays)) {
                w.kind = seg::WindowKind::within_days;
                w.days = *days;
            }
        }
        if (between) {
            const std::string at = join(path, "between");
            if (!expect(*between, Node::Kind::array, at)) return w;
            if (between->items.size() != 2) {
                fail(at, "invalid_value", "expected two dates [first, last]");
                return w;
            }
            const auto first = date(between->items[0], at + "[0]");
            const auto last = date(between->items[1], at + "[1]");
            if (first && last) {
                if (*first > *last) {
                    fail(at, "invalid_value", "the first date is after the last");
                    return w;
                }
                w.kind = seg::WindowKind::between;
                w.from_us = *first;
                w.until_us = *last + seg::kMicrosPerDay;
            }
        }
        return w;
    }

    std::vector<std::string> strings(const Node& node, const std::string& path) {
        std::vector<std::string> out;
        if (!expect(node, Node::Kind::array, path)) return out;
        if (node.items.empty()) fail(path, "invalid_value", "the list is empty");
        if (node.items.size() > kMaxListItems)
            fail(path, "out_of_range",
                 "more than " + std::to_string(kMaxListItems) + " values in one list");
        for (size_t i = 0; i < node.items.size() && i < kMaxListItems; ++i) {
            const std::string at = path + "[" + std::to_string(i) + "]";
            if (string_value(node.items[i], at)) out.push_back(node.items[i].text);
        }
        return out;
    }

    // A category path as the catalog stores it: levels joined by '>' with the spaces around
    // each level trimmed ("Shoes > Running" is "Shoes>Running").
    std::optional<std::string> category(const std::string& text, const std::string& path) {
        if (text.find('|') != std::string::npos) {
            fail(path, "invalid_value",
                 "'" + text + "' holds several categories ('|'): give them as list items");
            return std::nullopt;
        }
        std::string out;
        size_t start = 0;
        while (true) {
            const size_t end = text.find('>', start);
            std::string level =
                text.substr(start, end == std::string::npos ? std::string::npos : end - start);
            const auto first = level.find_first_not_of(' ');
            const auto last = level.find_last_not_of(' ');
            level = first == std::string::npos ? "" : level.substr(first, last - first + 1);
            if (level.empty()) {
                fail(path, "invalid_value", "'" + text + "' has an empty category level");
                return std::nullopt;
            }
            out += (out.empty() ? "" : ">") + level;
            if (end == std::string::npos) break;
            start = end + 1;
        }
        return out;
    }

    // Bounds "min"/"max" of orders and revenue: at least one, min <= max.
    void bounds(const Node& object, const std::string& path, seg::Rule& r, bool decimal) {
        const Node* min = member(object, "min", path, false);
        const Node* max = member(object, "max", path, false);
        if (!min && !max) {
            fail(path, "missing_key", "give 'min', 'max' or both");
            return;
        }
        std::optional<ExactNumber> low, high;
        if (decimal) {
            if (min) low = number(*min, join(path, "min"));
            if (max) high = number(*max, join(path, "max"));
            // Sums are exact millionths: rounding a bound inwards keeps "sum >= min" exact.
            if (low) r.min = low->millionths_ceil();
            if (high) r.max = high->millionths_floor();
        } else {
            const int64_t limit = std::numeric_limits<int64_t>::max();
            if (min) {
                if (auto v = integer(*min, join(path, "min"), 0, limit)) {
                    r.min = *v;
                    low = ExactNumber::parse(std::to_string(*v));
                }
            }
            if (max) {
                if (auto v = integer(*max, join(path, "max"), 0, limit)) {
                    r.max = *v;
                    high = ExactNumber::parse(std::to_string(*v));
                }
            }
        }
        if (low && high && low->compare(*high) > 0)
            fail(path, "invalid_value", "'min' is greater than 'max'");
    }

    seg::Rule rule(const Node& node, const std::string& path, size_t depth) {
        seg::Rule r;
        if (depth > kMaxDepth) {
            fail(path, "out_of_range", "rules nest deeper than " + std::to_string(kMaxDepth));
            return r;
        }
        if (!expect(node, Node::Kind::object, path)) return r;
        static const std::vector<std::string> kRules = {
            "all",       "any",     "not",           "purchased",
            "orders",    "revenue", "last_purchase", "first_purchase",
            "lifecycle", "field"};
        if (node.members.size() != 1) {
            fail(path, "invalid_rule",
                 node.members.empty()
                     ? "a rule object needs exactly one key, the rule's name (one of " +
                           list_of(kRules) + ")"
                     : "a rule object has exactly one key; this one has " +
                           std::to_string(node.members.size()) +
                           " (combine rules with 'all' or 'any')");
            if (node.members.empty()) return r;
        }
        const auto& [name, body] = node.members.front();
        const std::string at = join(path, name);
        if (name == "all" || name == "any") {
            r.kind = name == "all" ? seg::RuleKind::all : seg::RuleKind::any;
            if (!expect(body, Node::Kind::array, at)) return r;
            if (body.items.empty()) fail(at, "invalid_value", "needs at least one rule");
            for (size_t i = 0; i < body.items.size(); ++i)
                r.rules.push_back(
                    rule(body.items[i], at + "[" + std::to_string(i) + "]", depth + 1));
        } else if (name == "not") {
            r.kind = seg::RuleKind::not_;
            r.rules.push_back(rule(body, at, depth + 1));
        } else if (name == "purchased") {
            r.kind = seg::RuleKind::purchased;
            if (!expect(body, Node::Kind::object, at)) return r;
            check_keys(body, at, {"within_days", "between", "items", "categories", "min_orders"});
            r.window = window(body, at);
            if (const Node* items = member(body, "items", at, false))
                r.items = strings(*items, join(at, "items"));
            if (const Node* categories = member(body, "categories", at, false)) {
                const auto texts = strings(*categories, join(at, "categories"));
                for (size_t i = 0; i < texts.size(); ++i) {
                    if (auto c = category(texts[i],
                                          join(at, "categories") + "[" + std::to_string(i) + "]"))
                        r.categories.push_back(*c);
                }
            }
            if (const Node* k = member(body, "min_orders", at, false)) {
                if (auto v =
                        integer(*k, join(at, "min_orders"), 1, std::numeric_limits<int64_t>::max()))
                    r.min_orders = *v;
            }
        } else if (name == "orders" || name == "revenue") {
            r.kind = name == "orders" ? seg::RuleKind::orders : seg::RuleKind::revenue;
            if (!expect(body, Node::Kind::object, at)) return r;
            check_keys(body, at, {"within_days", "between", "min", "max"});
            r.window = window(body, at);
            bounds(body, at, r, r.kind == seg::RuleKind::revenue);
        } else if (name == "last_purchase" || name == "first_purchase") {
            r.kind = name == "last_purchase" ? seg::RuleKind::last_purchase
                                             : seg::RuleKind::first_purchase;
            if (!expect(body, Node::Kind::object, at)) return r;
            check_keys(body, at, {"within_days", "before_days"});
            const Node* within = member(body, "within_days", at, false);
            const Node* before = member(body, "before_days", at, false);
            if (!within && !before)
                fail(at, "missing_key", "give 'within_days', 'before_days' or both");
            if (within) r.within_days = integer(*within, join(at, "within_days"), 1, kMaxDays);
            if (before) r.before_days = integer(*before, join(at, "before_days"), 0, kMaxDays);
        } else if (name == "lifecycle") {
            r.kind = seg::RuleKind::lifecycle;
            if (!string_value(body, at)) return r;
            static const std::vector<std::string> kStages = {"first_time_buyer", "active",
                                                             "defecting", "inactive"};
            const auto it = std::find(kStages.begin(), kStages.end(), body.text);
            if (it == kStages.end()) {
                fail(at, "invalid_value",
                     "unknown lifecycle stage '" + body.text + "'" +
                         suggestion(body.text, kStages) + " (one of " + list_of(kStages) + ")");
                return r;
            }
            r.stage = static_cast<seg::Stage>(it - kStages.begin());
        } else if (name == "field") {
            r.kind = seg::RuleKind::field;
            if (!expect(body, Node::Kind::object, at)) return r;
            check_keys(body, at, {"name", "op", "value", "within_days", "between"});
            r.window = window(body, at);
            field(body, at, r.field);
        } else {
            fail(at, "unknown_rule",
                 "unknown rule '" + name + "'" + suggestion(name, kRules) + " (one of " +
                     list_of(kRules) + ")");
        }
        return r;
    }

    void field(const Node& body, const std::string& at, seg::FieldCondition& f) {
        const Node* name = member(body, "name", at, true);
        const Node* op = member(body, "op", at, true);
        const Node* value = member(body, "value", at, true);
        bool typed = false;
        if (name && string_value(*name, join(at, "name"))) {
            static const std::regex kField("([sifd])_[a-z0-9_]{1,48}");
            std::smatch m;
            if (!std::regex_match(name->text, m, kField)) {
                fail(join(at, "name"), "invalid_value",
                     "'" + name->text +
                         "' is not a custom field name (s_, i_, f_ or d_ then [a-z0-9_]{1,48})");
            } else {
                f.name = name->text;
                const char prefix = name->text[0];
                f.type = prefix == 's'   ? ValueTypeOf::string
                         : prefix == 'i' ? ValueTypeOf::int64
                         : prefix == 'f' ? ValueTypeOf::decimal
                                         : ValueTypeOf::timestamp;
                typed = true;
            }
        }
        bool op_known = false;
        if (op && string_value(*op, join(at, "op"))) {
            static const std::vector<std::string> kOps = {"eq", "ne", "lt", "le",
                                                          "gt", "ge", "in", "prefix"};
            const auto it = std::find(kOps.begin(), kOps.end(), op->text);
            if (it == kOps.end()) {
                fail(join(at, "op"), "invalid_value",
                     "unknown op '" + op->text + "'" + suggestion(op->text, kOps) + " (one of " +
                         list_of(kOps) + ")");
            } else {
                f.op = static_cast<seg::FieldOp>(it - kOps.begin());
                op_known = true;
            }
        }
        if (!typed || !op_known || !value) return;
        if (f.op == seg::FieldOp::prefix && f.type != ValueTypeOf::string) {
            fail(join(at, "op"), "invalid_value", "'prefix' applies to s_ fields only");
            return;
        }
        const std::string value_path = join(at, "value");
        if (f.op == seg::FieldOp::in) {
            if (!expect(*value, Node::Kind::array, value_path)) return;
            if (value->items.empty()) fail(value_path, "invalid_value", "the list is empty");
            if (value->items.size() > kMaxListItems)
                fail(value_path, "out_of_range",
                     "more than " + std::to_string(kMaxListItems) + " values in one list");
            for (size_t i = 0; i < value->items.size() && i < kMaxListItems; ++i) {
                if (auto v =
                        field_value(value->items[i], value_path + "[" + std::to_string(i) + "]", f))
                    f.values.push_back(std::move(*v));
            }
        } else if (auto v = field_value(*value, value_path, f)) {
            f.values.push_back(std::move(*v));
        }
    }

    // One comparison value in the column's encoding (see segment.hpp for the rounding rule).
    std::optional<seg::FieldValue> field_value(const Node& node, const std::string& path,
                                               seg::FieldCondition& f) {
        seg::FieldValue v;
        switch (f.type) {
            case ValueTypeOf::string:
                if (!string_value(node, path)) return std::nullopt;
                v.text = node.text;
                return v;
            case ValueTypeOf::int64: {
                auto n = number(node, path);
                if (!n) return std::nullopt;
                const auto i = n->to_int64();
                if (!i) {
                    fail(path, n->is_integer() ? "out_of_range" : "wrong_type",
                         n->is_integer()
                             ? node.text + " is outside the signed 64-bit range of " + f.name
                             : "expected a whole number for the integer field " + f.name +
                                   ", got " + node.text);
                    return std::nullopt;
                }
                v.number = *i;
                return v;
            }
            case ValueTypeOf::decimal: {
                auto n = number(node, path);
                if (!n) return std::nullopt;
                bool exact = false;
                const int64_t floor = n->millionths_floor(&exact);
                const int64_t ceil = n->millionths_ceil();
                const auto clamp = [](int64_t x) {
                    return std::clamp(x, -seg::kUnreachableDecimal, seg::kUnreachableDecimal);
                };
                switch (f.op) {
                    case seg::FieldOp::lt:
                    case seg::FieldOp::ge:
                        v.number = clamp(ceil);
                        break;
                    case seg::FieldOp::le:
                    case seg::FieldOp::gt:
                        v.number = clamp(floor);
                        break;
                    default:  // eq, ne, in: a value no stored decimal can equal
                        v.number = exact && std::abs(floor) < seg::kUnreachableDecimal
                                       ? floor
                                       : seg::kUnreachableDecimal;
                        break;
                }
                return v;
            }
            case ValueTypeOf::timestamp: {
                if (!string_value(node, path)) return std::nullopt;
                std::string reason;
                const auto t = parse_timestamp(node.text, reason);
                if (!t) {
                    fail(path, "wrong_type",
                         "'" + node.text + "' is not a date or timestamp for the field " + f.name +
                             " (" + reason + ")");
                    return std::nullopt;
                }
                v.number = *t;
                return v;
            }
            default:
                return std::nullopt;
        }
    }

    using ValueTypeOf = plugin::ValueType;
};

}  // namespace

DefinitionFormat guess_definition_format(std::string_view text) {
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
        return c == '{' || c == '[' ? DefinitionFormat::json : DefinitionFormat::yaml;
    }
    return DefinitionFormat::json;
}

ParsedDefinition parse_definition(std::string_view text, DefinitionFormat format) {
    ParsedDefinition out;
    segment_doc::SyntaxError syntax;
    const auto root = format == DefinitionFormat::json ? segment_doc::read_json(text, syntax)
                                                       : segment_doc::read_yaml(text, syntax);
    if (!root) {
        out.errors.push_back({"", "syntax", syntax.message});
        return out;
    }
    Validator validator;
    seg::Definition definition = validator.definition(*root);
    if (!validator.errors.empty()) {
        out.errors = std::move(validator.errors);
        return out;
    }
    out.definition = std::move(definition);
    out.canonical_json = segment_doc::write_canonical_json(*root);
    return out;
}

}  // namespace sightline::core
