#include "evaluation.hpp"

#include <algorithm>
#include <functional>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "catalog.hpp"

namespace sightline::evaluator_memory {

namespace sp = sightline::plugin;
namespace sg = sightline::plugin::segment;

namespace {

// Sums of up to 2^64 prices below 10^18 millionths each cannot overflow 128 bits.
__extension__ typedef __int128 Wide;

// Sorted and unique.
using Customers = std::vector<uint64_t>;

// The positions of the fixed sales columns in a scanned row (data.hpp).
constexpr size_t kOrder = 0, kTimestamp = 1, kCustomer = 2, kItem = 3, kPrice = 4;

// An order is (customer, order id) (sales-data.md).
struct OrderKey {
    uint64_t customer = 0;
    std::string id;
    bool operator==(const OrderKey& o) const { return customer == o.customer && id == o.id; }
};
struct OrderKeyHash {
    size_t operator()(const OrderKey& k) const {
        return std::hash<std::string>{}(k.id) ^
               (std::hash<uint64_t>{}(k.customer) * 0x9E3779B97F4A7C15ull);
    }
};

struct Order {
    uint64_t customer = 0;
    int64_t first_us = 0;  // its earliest line at or before as_of
    Wide net = 0;          // sum of price over its lines at or before as_of
};

// A customer's purchases (orders with a net total > 0).
struct Purchases {
    int64_t count = 0;
    int64_t first_us = 0, last_us = 0;  // times of the earliest and the latest purchase
};

// What one leaf rule gathers during the scan.
struct Leaf {
    const sg::Rule* rule = nullptr;
    sg::TimeRange range;  // purchased, revenue, field: the window's line times
    // purchased
    bool filter_items = false, filter_categories = false;
    std::unordered_set<std::string> items;           // the rule's items
    std::unordered_set<std::string> category_items;  // items with a category within the rule's
    std::unordered_set<uint32_t> orders;             // orders with a qualifying line
    // revenue
    std::unordered_map<uint64_t, Wide> sums;
    // field
    std::optional<size_t> column;  // position in the row; none: the tenant never had the field
    sp::ValueType column_type = sp::ValueType::string;
    std::unordered_set<uint64_t> customers;
};

bool within(const std::optional<int64_t>& min, const std::optional<int64_t>& max, Wide v) {
    return (!min || v >= Wide(*min)) && (!max || v <= Wide(*max));
}

Customers sorted(std::vector<uint64_t> ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

template <typename Set>
Customers sorted_keys(const Set& set) {
    return sorted(std::vector<uint64_t>(set.begin(), set.end()));
}

void collect_leaves(const sg::Rule& rule, std::vector<const sg::Rule*>& out) {
    switch (rule.kind) {
        case sg::RuleKind::all:
        case sg::RuleKind::any:
        case sg::RuleKind::not_:
            for (const auto& r : rule.rules) collect_leaves(r, out);
            return;
        default:
            out.push_back(&rule);
    }
}

class Evaluation {
public:
    Evaluation(const sp::EvaluationRequest& request, sp::TenantStore& store)
        : request_(request), store_(store), as_of_(request.as_of_us) {}

    sp::EvaluationResult run() {
        std::vector<const sg::Rule*> rules;
        collect_leaves(*request_.rule, rules);
        prepare(rules);
        scan();
        summarise_purchases();
        for (Leaf& leaf : leaves_) results_[leaf.rule] = finish(leaf);
        sp::EvaluationResult result;
        result.customers = combine(*request_.rule);
        return result;
    }

private:
    void prepare(const std::vector<const sg::Rule*>& rules) {
        const std::vector<sp::Column> custom = store_.custom_columns();
        std::optional<std::vector<std::pair<std::string, std::string>>> catalog;
        leaves_.resize(rules.size());
        for (size_t n = 0; n < rules.size(); ++n) {
            const sg::Rule& rule = *rules[n];
            Leaf& leaf = leaves_[n];
            leaf.rule = &rule;
            leaf.range = sg::resolve(rule.window, as_of_);
            if (rule.kind == sg::RuleKind::purchased) {
                leaf.filter_items = !rule.items.empty();
                leaf.items.insert(rule.items.begin(), rule.items.end());
                leaf.filter_categories = !rule.categories.empty();
                if (leaf.filter_categories) {
                    if (!catalog) catalog = read_catalog();
                    for (const auto& [item, path] : *catalog)
                        for (const auto& category : rule.categories)
                            if (path_within(path, category)) leaf.category_items.insert(item);
                }
            } else if (rule.kind == sg::RuleKind::field) {
                for (size_t c = 0; c < custom.size(); ++c) {
                    if (custom[c].name != rule.field.name) continue;
                    leaf.column = sp::sales_fixed_columns + c;
                    leaf.column_type = custom[c].type;
                }
            }
        }
    }

    // Every (item, category path) pair of the catalog: an item has one row per path.
    std::vector<std::pair<std::string, std::string>> read_catalog() {
        std::vector<std::pair<std::string, std::string>> rows;
        evaluator_memory::read_catalog(store_, [&](std::string_view item, std::string_view path) {
            rows.emplace_back(std::string(item), std::string(path));
        });
        return rows;
    }

    void scan() {
        std::unordered_map<OrderKey, uint32_t, OrderKeyHash> index;
        OrderKey probe;
        std::string item;
        store_.scan_sales([&](const sp::Value* row) {
            const int64_t t = row[kTimestamp].i;
            if (t > as_of_) return;  // lines after as_of do not exist
            const uint64_t customer = row[kCustomer].u;
            const int64_t price = row[kPrice].i;
            probe.customer = customer;
            probe.id.assign(row[kOrder].s.data(), row[kOrder].s.size());
            uint32_t order;
            auto found = index.find(probe);
            if (found == index.end()) {
                if (orders_.size() >= std::numeric_limits<uint32_t>::max())
                    throw sp::Error("evaluator-memory: more than 2^32 orders");
                order = static_cast<uint32_t>(orders_.size());
                index.emplace(probe, order);
                orders_.push_back({customer, t, 0});
            } else {
                order = found->second;
                orders_[order].first_us = std::min(orders_[order].first_us, t);
            }
            orders_[order].net += price;
            item.assign(row[kItem].s.data(), row[kItem].s.size());
            for (Leaf& leaf : leaves_) add(leaf, row, t, customer, price, order, item);
        });
    }

    static void add(Leaf& leaf, const sp::Value* row, int64_t t, uint64_t customer, int64_t price,
                    uint32_t order, const std::string& item) {
        switch (leaf.rule->kind) {
            case sg::RuleKind::purchased:
                if (price > 0 && leaf.range.contains(t) &&
                    (!leaf.filter_items || leaf.items.count(item)) &&
                    (!leaf.filter_categories || leaf.category_items.count(item)))
                    leaf.orders.insert(order);
                return;
            case sg::RuleKind::revenue:
                if (leaf.range.contains(t)) leaf.sums[customer] += price;
                return;
            case sg::RuleKind::field:
                if (leaf.column && leaf.range.contains(t) &&
                    field_matches(leaf.rule->field, leaf.column_type, row[*leaf.column]))
                    leaf.customers.insert(customer);
                return;
            default:
                return;  // computed from the orders after the scan
        }
    }

    void summarise_purchases() {
        std::vector<uint64_t> universe;
        universe.reserve(orders_.size());
        for (const Order& o : orders_) {
            universe.push_back(o.customer);
            if (o.net <= 0) continue;
            Purchases& p = purchases_[o.customer];
            if (p.count == 0) {
                p.first_us = p.last_us = o.first_us;
            } else {
                p.first_us = std::min(p.first_us, o.first_us);
                p.last_us = std::max(p.last_us, o.first_us);
            }
            ++p.count;
        }
        universe_ = sorted(std::move(universe));
    }

    Customers finish(const Leaf& leaf) const {
        const sg::Rule& rule = *leaf.rule;
        std::vector<uint64_t> out;
        switch (rule.kind) {
            case sg::RuleKind::purchased: {
                if (rule.min_orders <= 0) return universe_;
                std::unordered_map<uint64_t, int64_t> count;
                for (uint32_t order : leaf.orders) ++count[orders_[order].customer];
                for (const auto& [customer, n] : count)
                    if (n >= rule.min_orders) out.push_back(customer);
                break;
            }
            case sg::RuleKind::orders: {
                std::unordered_map<uint64_t, int64_t> count;
                for (const Order& o : orders_)
                    if (o.net > 0 && leaf.range.contains(o.first_us)) ++count[o.customer];
                for (uint64_t customer : universe_) {
                    auto it = count.find(customer);
                    if (within(rule.min, rule.max, it == count.end() ? 0 : it->second))
                        out.push_back(customer);
                }
                break;
            }
            case sg::RuleKind::revenue:
                for (uint64_t customer : universe_) {
                    auto it = leaf.sums.find(customer);
                    if (within(rule.min, rule.max, it == leaf.sums.end() ? 0 : it->second))
                        out.push_back(customer);
                }
                break;
            case sg::RuleKind::last_purchase:
            case sg::RuleKind::first_purchase: {
                const sg::TimeRange age =
                    sg::resolve_age(rule.within_days, rule.before_days, as_of_);
                const bool last = rule.kind == sg::RuleKind::last_purchase;
                for (const auto& [customer, p] : purchases_)
                    if (age.contains(last ? p.last_us : p.first_us)) out.push_back(customer);
                break;
            }
            case sg::RuleKind::lifecycle: {
                // "Within N days": time > as_of - N days; "older than": its complement.
                const int64_t active_after = as_of_ - request_.active_days * sg::kMicrosPerDay;
                const int64_t inactive_after = as_of_ - request_.inactive_days * sg::kMicrosPerDay;
                for (const auto& [customer, p] : purchases_) {
                    const bool recent = p.last_us > active_after;
                    bool in = false;
                    switch (rule.stage) {
                        case sg::Stage::first_time_buyer:
                            in = p.count == 1 && recent;
                            break;
                        case sg::Stage::active:
                            in = p.count > 1 && recent;
                            break;
                        case sg::Stage::defecting:
                            in = !recent && p.last_us > inactive_after;
                            break;
                        case sg::Stage::inactive:
                            in = p.last_us <= inactive_after;
                            break;
                    }
                    if (in) out.push_back(customer);
                }
                break;
            }
            case sg::RuleKind::field:
                return sorted_keys(leaf.customers);
            default:
                break;
        }
        return sorted(std::move(out));
    }

    Customers combine(const sg::Rule& rule) const {
        switch (rule.kind) {
            case sg::RuleKind::all:
            case sg::RuleKind::any: {
                if (rule.rules.empty()) throw sp::Error("evaluator-memory: all/any without rules");
                Customers acc = combine(rule.rules[0]);
                for (size_t n = 1; n < rule.rules.size(); ++n) {
                    const Customers next = combine(rule.rules[n]);
                    Customers merged;
                    if (rule.kind == sg::RuleKind::all)
                        std::set_intersection(acc.begin(), acc.end(), next.begin(), next.end(),
                                              std::back_inserter(merged));
                    else
                        std::set_union(acc.begin(), acc.end(), next.begin(), next.end(),
                                       std::back_inserter(merged));
                    acc = std::move(merged);
                }
                return acc;
            }
            case sg::RuleKind::not_: {
                if (rule.rules.size() != 1) throw sp::Error("evaluator-memory: not needs one rule");
                const Customers inner = combine(rule.rules[0]);
                Customers out;
                std::set_difference(universe_.begin(), universe_.end(), inner.begin(), inner.end(),
                                    std::back_inserter(out));
                return out;
            }
            default:
                return results_.at(&rule);
        }
    }

    const sp::EvaluationRequest& request_;
    sp::TenantStore& store_;
    const int64_t as_of_;
    std::vector<Leaf> leaves_;
    std::vector<Order> orders_;
    std::unordered_map<uint64_t, Purchases> purchases_;
    Customers universe_;  // every customer with a line at or before as_of
    std::map<const sg::Rule*, Customers> results_;
};

}  // namespace

bool path_within(std::string_view path, std::string_view category) {
    if (path.size() < category.size() || path.substr(0, category.size()) != category) return false;
    return path.size() == category.size() || path[category.size()] == '>';
}

bool field_matches(const sg::FieldCondition& condition, sp::ValueType column_type,
                   const sp::Value& v) {
    if (!v.present) return false;
    const bool text_column = column_type == sp::ValueType::string;
    const bool text_condition = condition.type == sp::ValueType::string;
    if (text_column != text_condition) return false;  // cannot happen: the prefix fixes the type
    if (text_column) return sg::field_value_matches(condition.op, v.s, condition.values);
    return sg::field_value_matches(condition.op, v.i, condition.values);
}

sp::EvaluationResult evaluate_segment(const sp::EvaluationRequest& request,
                                      sp::TenantStore& store) {
    return Evaluation(request, store).run();
}

}  // namespace sightline::evaluator_memory
