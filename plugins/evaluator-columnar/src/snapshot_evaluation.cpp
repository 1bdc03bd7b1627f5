#include "snapshot_evaluation.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_set>

#include "as_of.hpp"

namespace sightline::evaluator_columnar {

namespace sp = sightline::plugin;
namespace sg = sightline::plugin::segment;

namespace {

bool within(const std::optional<int64_t>& min, const std::optional<int64_t>& max, Wide v) {
    return (!min || v >= Wide(*min)) && (!max || v <= Wide(*max));
}

class Evaluation {
public:
    Evaluation(const Snapshot& s, const sp::EvaluationRequest& r)
        : s_(s), request_(r), as_of_(lines_as_of(s, r.as_of_us)), times_(s) {}

    Bitset run(const sg::Rule& rule) {
        switch (rule.kind) {
            case sg::RuleKind::all:
            case sg::RuleKind::any: {
                if (rule.rules.empty())
                    throw sp::Error("evaluator-columnar: all/any without rules");
                Bitset acc = run(rule.rules[0]);
                for (size_t n = 1; n < rule.rules.size(); ++n) {
                    const Bitset next = run(rule.rules[n]);
                    if (rule.kind == sg::RuleKind::all)
                        acc.and_with(next);
                    else
                        acc.or_with(next);
                }
                return acc;
            }
            case sg::RuleKind::not_: {
                if (rule.rules.size() != 1)
                    throw sp::Error("evaluator-columnar: not needs one rule");
                Bitset inner = run(rule.rules[0]);
                inner.complement_within(as_of_.universe);
                return inner;
            }
            case sg::RuleKind::purchased:
                return purchased(rule);
            case sg::RuleKind::orders:
                return orders(rule);
            case sg::RuleKind::revenue:
                return revenue(rule);
            case sg::RuleKind::last_purchase:
            case sg::RuleKind::first_purchase:
                return purchase_age(rule);
            case sg::RuleKind::lifecycle:
                return lifecycle(rule);
            case sg::RuleKind::field:
                return field(rule);
        }
        throw sp::Error("evaluator-columnar: unknown rule kind");
    }

    std::vector<uint64_t> ids(const Bitset& set) const {
        std::vector<uint64_t> out;
        out.reserve(set.count());
        set.for_each([&](size_t c) { out.push_back(s_.customers[c]); });
        return out;
    }

private:
    size_t customers() const { return s_.customer_count(); }

    // Calls fn(c, first, end) with the customer's lines in the range, for every customer with a
    // line at or before as_of (range.last <= as_of always).
    template <typename Fn>
    void for_range(const sg::TimeRange& range, Fn&& fn) {
        for (size_t c = 0; c < customers(); ++c) {
            const uint32_t begin = s_.line_start[c], end = as_of_.end[c];
            if (begin == end) continue;
            const LineRun run = lines_between(s_, c, end, range.first_us, range.last_us, times_);
            fn(c, run.begin, run.end);
        }
    }

    const Purchases& purchases() {
        if (!purchases_) purchases_ = purchases_as_of(s_, as_of_, false);
        return *purchases_;
    }

    // Items a purchased rule accepts, by item code.
    std::vector<uint8_t> accepted_items(const sg::Rule& rule) const {
        std::vector<uint8_t> ok(s_.items.size(), 1);
        if (!rule.items.empty()) {
            const std::unordered_set<std::string_view> wanted(rule.items.begin(), rule.items.end());
            for (size_t i = 0; i < ok.size(); ++i) ok[i] = wanted.count(s_.items.at(i)) ? 1 : 0;
        }
        if (!rule.categories.empty()) {
            std::vector<uint8_t> path_ok(s_.paths.size(), 0);
            for (size_t p = 0; p < path_ok.size(); ++p)
                for (const auto& category : rule.categories)
                    if (path_within(s_.paths.at(p), category)) path_ok[p] = 1;
            for (size_t i = 0; i < ok.size(); ++i) {
                bool in = false;
                for (uint32_t k = s_.item_path_start[i]; k < s_.item_path_start[i + 1]; ++k)
                    in = in || path_ok[s_.item_paths[k]];
                ok[i] = ok[i] && in;
            }
        }
        return ok;
    }

    // Customers with at least min_orders orders holding a line with price > 0 of an accepted
    // item in the window.
    Bitset purchased(const sg::Rule& rule) {
        if (rule.min_orders <= 0) return as_of_.universe;
        Bitset out(customers());
        const std::vector<uint8_t> ok = accepted_items(rule);
        // Per local order code: the last customer position (+1) that counted it.
        std::vector<uint32_t> counted(s_.max_orders, 0);
        Scratch prices(s_), items(s_), orders(s_);
        const auto need = static_cast<uint64_t>(rule.min_orders);
        for_range(sg::resolve(rule.window, as_of_.instant), [&](size_t c, uint32_t b, uint32_t e) {
            if (b == e) return;
            const int64_t* price = prices.load(s_.price, b, e);
            const int64_t* item = items.load(s_.item, b, e);
            const int64_t* order = orders.load(s_.order, b, e);
            const auto mark = static_cast<uint32_t>(c + 1);
            uint64_t n = 0;
            for (uint32_t l = 0; l < e - b; ++l) {
                if (price[l] <= 0 || !ok[item[l]] || counted[order[l]] == mark) continue;
                counted[order[l]] = mark;
                if (++n >= need) {
                    out.set(c);
                    break;
                }
            }
        });
        return out;
    }

    // Customers whose count of purchases with a time in the window is within [min, max].
    Bitset orders(const sg::Rule& rule) {
        const Purchases& p = purchases();
        const sg::TimeRange range = sg::resolve(rule.window, as_of_.instant);
        Bitset out(customers());
        as_of_.universe.for_each([&](size_t c) {
            int64_t n = 0;
            if (!range.empty()) {
                const int64_t* b = p.time.data() + p.start[c];
                const int64_t* e = p.time.data() + p.start[c + 1];
                n = std::upper_bound(b, e, range.last_us) - std::lower_bound(b, e, range.first_us);
            }
            if (within(rule.min, rule.max, n)) out.set(c);
        });
        return out;
    }

    Bitset revenue(const sg::Rule& rule) {
        Bitset out(customers());
        Scratch prices(s_);
        for_range(sg::resolve(rule.window, as_of_.instant), [&](size_t c, uint32_t b, uint32_t e) {
            Wide sum = 0;
            if (b < e) {
                const int64_t* price = prices.load(s_.price, b, e);
                for (uint32_t l = 0; l < e - b; ++l) sum += price[l];
            }
            if (within(rule.min, rule.max, sum)) out.set(c);
        });
        return out;
    }

    Bitset purchase_age(const sg::Rule& rule) {
        const Purchases& p = purchases();
        const sg::TimeRange age =
            sg::resolve_age(rule.within_days, rule.before_days, as_of_.instant);
        const bool last = rule.kind == sg::RuleKind::last_purchase;
        Bitset out(customers());
        for (size_t c = 0; c < customers(); ++c) {
            if (p.count(c) == 0) continue;
            if (age.contains(last ? p.time[p.start[c + 1] - 1] : p.time[p.start[c]])) out.set(c);
        }
        return out;
    }

    Bitset lifecycle(const sg::Rule& rule) {
        const Purchases& p = purchases();
        // "Within N days": time > as_of - N days; "older than": its complement.
        const int64_t active_after = as_of_.instant - request_.active_days * sg::kMicrosPerDay;
        const int64_t inactive_after = as_of_.instant - request_.inactive_days * sg::kMicrosPerDay;
        Bitset out(customers());
        for (size_t c = 0; c < customers(); ++c) {
            const size_t count = p.count(c);
            if (count == 0) continue;
            const int64_t last_us = p.time[p.start[c + 1] - 1];
            const bool recent = last_us > active_after;
            bool in = false;
            switch (rule.stage) {
                case sg::Stage::first_time_buyer:
                    in = count == 1 && recent;
                    break;
                case sg::Stage::active:
                    in = count > 1 && recent;
                    break;
                case sg::Stage::defecting:
                    in = !recent && last_us > inactive_after;
                    break;
                case sg::Stage::inactive:
                    in = last_us <= inactive_after;
                    break;
            }
            if (in) out.set(c);
        }
        return out;
    }

    // Customers with a line in the window whose cell satisfies the condition. A field the
    // tenant's data never had (or of another type) matches no line.
    Bitset field(const sg::Rule& rule) {
        Bitset out(customers());
        const sg::FieldCondition& f = rule.field;
        const CustomColumn* column = s_.column(f.name);
        if (!column) return out;
        const bool text_condition = f.type == sp::ValueType::string;
        if (column->is_text() != text_condition) return out;
        const sg::TimeRange range = sg::resolve(rule.window, as_of_.instant);
        const uint64_t* present = column->present.data();
        auto has = [present](uint32_t l) { return (present[l >> 6] >> (l & 63)) & 1; };
        if (column->is_text()) {
            // One entry at least: an absent cell's code is 0 even in an empty dictionary.
            std::vector<uint8_t> ok(std::max<size_t>(column->dict.size(), 1), 0);
            for (size_t i = 0; i < column->dict.size(); ++i)
                ok[i] = sg::field_value_matches(f.op, column->dict.at(i), f.values);
            Scratch codes(s_);
            for_range(range, [&](size_t c, uint32_t b, uint32_t e) {
                if (b == e) return;
                const int64_t* code = codes.load(column->values, b, e);
                for (uint32_t l = b; l < e; ++l)
                    if (has(l) && ok[code[l - b]]) {
                        out.set(c);
                        return;
                    }
            });
        } else {
            Scratch numbers(s_);
            for_range(range, [&](size_t c, uint32_t b, uint32_t e) {
                if (b == e) return;
                const int64_t* number = numbers.load(column->values, b, e);
                for (uint32_t l = b; l < e; ++l)
                    if (has(l) && sg::field_value_matches(f.op, number[l - b], f.values)) {
                        out.set(c);
                        return;
                    }
            });
        }
        return out;
    }

    const Snapshot& s_;
    const sp::EvaluationRequest& request_;
    AsOf as_of_;
    Scratch times_;
    std::optional<Purchases> purchases_;
};

}  // namespace

bool path_within(std::string_view path, std::string_view category) {
    if (path.size() < category.size() || path.substr(0, category.size()) != category) return false;
    return path.size() == category.size() || path[category.size()] == '>';
}

std::vector<uint64_t> evaluate_snapshot(const Snapshot& snapshot,
                                        const sp::EvaluationRequest& request) {
    if (!request.rule) throw sp::Error("evaluator-columnar: the request has no rule");
    Evaluation evaluation(snapshot, request);
    return evaluation.ids(evaluation.run(*request.rule));
}

}  // namespace sightline::evaluator_columnar
