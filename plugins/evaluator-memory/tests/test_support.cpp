#include "test_support.hpp"

#include <stdexcept>

#include "sightline/core/timestamp.hpp"

namespace sightline::evaluator_memory::testing {

int64_t at(const std::string& text) {
    std::string reason;
    const auto t = sightline::core::parse_timestamp(text, reason);
    if (!t) throw std::invalid_argument("bad timestamp in a test: " + text + ": " + reason);
    return *t;
}

Data::Data()
    : harness_(std::make_unique<sightline::testing::Harness>(
          "version: 1\n"
          "archive: {plugin: archive-fs, config: {root: \"{dir}/archive\", compression: none, "
          "fsync: false}}\n"
          "target: {plugin: target-sqlite, config: {dir: \"{dir}/db\"}}\n"
          "tenants: [{id: acme}]\n",
          std::vector<std::string>{SIGHTLINE_BUILD_PLUGIN_DIR})) {}

Data::~Data() = default;

void Data::load(const std::string& name, const std::string& csv) {
    const auto r = harness_->load_text("acme", name, csv);
    ASSERT_EQ(r.outcome, "loaded") << r.message << (r.errors.empty() ? "" : ": " + r.errors[0]);
}

sp::EvaluationResult Data::evaluate(const sg::Rule& rule, int64_t as_of, int64_t active_days,
                                    int64_t inactive_days) {
    auto store = harness_->target().open("acme");
    sp::EvaluationRequest request;
    request.rule = &rule;
    request.as_of_us = as_of;
    request.active_days = active_days;
    request.inactive_days = inactive_days;
    return evaluate_segment(request, *store);
}

sg::Window within_days(int64_t n) {
    sg::Window w;
    w.kind = sg::WindowKind::within_days;
    w.days = n;
    return w;
}

sg::Window between(const std::string& first_day, const std::string& second_day) {
    sg::Window w;
    w.kind = sg::WindowKind::between;
    w.from_us = at(first_day);
    w.until_us = at(second_day) + kDay;
    return w;
}

namespace {
sg::Rule of(sg::RuleKind kind) {
    sg::Rule r;
    r.kind = kind;
    return r;
}
}  // namespace

sg::Rule all(std::vector<sg::Rule> rules) {
    sg::Rule r = of(sg::RuleKind::all);
    r.rules = std::move(rules);
    return r;
}

sg::Rule any(std::vector<sg::Rule> rules) {
    sg::Rule r = of(sg::RuleKind::any);
    r.rules = std::move(rules);
    return r;
}

sg::Rule not_(sg::Rule rule) {
    sg::Rule r = of(sg::RuleKind::not_);
    r.rules.push_back(std::move(rule));
    return r;
}

sg::Rule purchased(sg::Window w, std::vector<std::string> items,
                   std::vector<std::string> categories, int64_t min_orders) {
    sg::Rule r = of(sg::RuleKind::purchased);
    r.window = w;
    r.items = std::move(items);
    r.categories = std::move(categories);
    r.min_orders = min_orders;
    return r;
}

sg::Rule orders(sg::Window w, std::optional<int64_t> min, std::optional<int64_t> max) {
    sg::Rule r = of(sg::RuleKind::orders);
    r.window = w;
    r.min = min;
    r.max = max;
    return r;
}

sg::Rule revenue(sg::Window w, std::optional<int64_t> min, std::optional<int64_t> max) {
    sg::Rule r = of(sg::RuleKind::revenue);
    r.window = w;
    r.min = min;
    r.max = max;
    return r;
}

sg::Rule last_purchase(std::optional<int64_t> within, std::optional<int64_t> before) {
    sg::Rule r = of(sg::RuleKind::last_purchase);
    r.within_days = within;
    r.before_days = before;
    return r;
}

sg::Rule first_purchase(std::optional<int64_t> within, std::optional<int64_t> before) {
    sg::Rule r = last_purchase(within, before);
    r.kind = sg::RuleKind::first_purchase;
    return r;
}

sg::Rule lifecycle(sg::Stage stage) {
    sg::Rule r = of(sg::RuleKind::lifecycle);
    r.stage = stage;
    return r;
}

sg::Rule field_text(const std::string& name, sg::FieldOp op, std::vector<std::string> values,
                    sg::Window w) {
    sg::Rule r = of(sg::RuleKind::field);
    r.window = w;
    r.field.name = name;
    r.field.type = sp::ValueType::string;
    r.field.op = op;
    for (auto& v : values) r.field.values.push_back({std::move(v), 0});
    return r;
}

sg::Rule field_number(const std::string& name, sp::ValueType type, sg::FieldOp op,
                      std::vector<int64_t> values, sg::Window w) {
    sg::Rule r = of(sg::RuleKind::field);
    r.window = w;
    r.field.name = name;
    r.field.type = type;
    r.field.op = op;
    for (int64_t v : values) r.field.values.push_back({"", v});
    return r;
}

}  // namespace sightline::evaluator_memory::testing
