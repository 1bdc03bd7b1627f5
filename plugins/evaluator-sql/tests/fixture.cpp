#include "fixture.hpp"

#include <unistd.h>

#include <cstdlib>
#include <map>
#include <mutex>

#include "sightline/core/timestamp.hpp"
#include "sql_evaluator.hpp"

// libpqxx 6.4 leaks a PGresult when a statement runs on a connection the server has closed; the
// frames are all inside libpq and libpqxx (plugins/target-postgres/tests/live_support.cpp has the
// same hook). LeakSanitizer reads this hook of the test executable only.
extern "C" const char* __lsan_default_suppressions() { return "leak:libpqxx-6.4.so\n"; }

namespace sightline::evaluator_sql::testing {

namespace {

// A YAML double-quoted scalar: the DSN may hold spaces, quotes or backslashes.
std::string yaml_quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

Backend database_backend(const char* name, const char* plugin, const char* variable) {
    Backend b;
    b.name = name;
    const char* dsn = std::getenv(variable);
    if (!dsn || !*dsn) {
        b.skip_reason = std::string(variable) + " not set";
        return b;
    }
    // One database per tenant and test process, dropped at exit.
    b.target_yaml = std::string("{plugin: ") + plugin +
                    ", config: {admin_dsn: " + yaml_quoted(dsn) + ", database_prefix: \"sl_evsql_" +
                    std::to_string(::getpid()) + "_\"}}";
    return b;
}

struct Registry {
    std::mutex mutex;
    std::map<std::string, std::unique_ptr<Tenant>> tenants;  // "<backend>/<tenant id>"
};

Registry& registry() {
    static Registry* r = new Registry();
    return *r;
}

// Drops the database servers' tenants when the tests end.
class DropTenants : public ::testing::Environment {
public:
    void TearDown() override {
        auto& r = registry();
        std::lock_guard<std::mutex> lock(r.mutex);
        for (auto& [key, t] : r.tenants) {
            const std::string id = key.substr(key.find('/') + 1);
            t->store.reset();
            try {
                t->harness->target().drop(id);
            } catch (const std::exception& e) {
                if (key.rfind("sqlite/", 0) != 0)
                    ADD_FAILURE() << "drop " << key << ": " << e.what();
            }
            t->harness.reset();
        }
        r.tenants.clear();
    }
};

const auto* const kDropTenants = ::testing::AddGlobalTestEnvironment(new DropTenants);

}  // namespace

std::vector<Backend> backends() {
    return {Backend{"sqlite", R"({plugin: target-sqlite, config: {dir: "{dir}/db"}})", ""},
            database_backend("postgres", "target-postgres", "SIGHTLINE_POSTGRES_DSN"),
            database_backend("greenplum", "target-greenplum", "SIGHTLINE_GREENPLUM_DSN")};
}

void PrintTo(const Backend& backend, std::ostream* os) { *os << backend.name; }

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) { return info.param.name; }

Tenant& tenant(const Backend& backend, const std::string& id,
               const std::vector<std::pair<std::string, std::string>>& files) {
    auto& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    auto& slot = r.tenants[backend.name + "/" + id];
    if (slot) return *slot;
    auto t = std::make_unique<Tenant>();
    t->harness = std::make_unique<sightline::testing::Harness>(
        "version: 1\n"
        "archive: {plugin: archive-fs, config: {root: \"{dir}/archive\", fsync: false}}\n"
        "target: " +
            backend.target_yaml + "\ntenants: [{id: " + id + "}]\n",
        std::vector<std::string>{SIGHTLINE_BUILD_PLUGIN_DIR});
    for (const auto& [name, text] : files) {
        const auto result = t->harness->load_text(id, name, text);
        if (result.outcome != "loaded") {
            std::string errors;
            for (const auto& e : result.errors) errors += "\n  " + e;
            throw std::runtime_error("loading " + name + " into " + backend.name + ": " +
                                     result.outcome + " " + result.message + errors);
        }
        if (name.rfind("catalog", 0) != 0) t->lines += result.rows;
    }
    t->store = t->harness->target().open(id);
    slot = std::move(t);
    return *slot;
}

int64_t us(const std::string& timestamp) {
    std::string reason;
    const auto v = sightline::core::parse_timestamp(timestamp, reason);
    if (!v) throw std::runtime_error("bad timestamp in a test: " + timestamp + ": " + reason);
    return *v;
}

sp::EvaluationResult evaluate_full(sp::TenantStore& store, const seg::Rule& rule,
                                   int64_t as_of_us) {
    SqlEvaluator evaluator;
    sp::EvaluationRequest request;
    request.rule = &rule;
    request.as_of_us = as_of_us;
    return evaluator.evaluate(request, store);
}

std::vector<uint64_t> evaluate(sp::TenantStore& store, const seg::Rule& rule, int64_t as_of_us,
                               int64_t active_days, int64_t inactive_days) {
    SqlEvaluator evaluator;
    sp::EvaluationRequest request;
    request.rule = &rule;
    request.as_of_us = as_of_us;
    request.active_days = active_days;
    request.inactive_days = inactive_days;
    return evaluator.evaluate(request, store).customers;
}

seg::Window no_window() { return {}; }

seg::Window within(int64_t days) {
    seg::Window w;
    w.kind = seg::WindowKind::within_days;
    w.days = days;
    return w;
}

seg::Window between(const std::string& first_day, const std::string& last_day) {
    seg::Window w;
    w.kind = seg::WindowKind::between;
    w.from_us = us(first_day);
    w.until_us = us(last_day) + seg::kMicrosPerDay;
    return w;
}

seg::Rule all(std::vector<seg::Rule> rules) {
    seg::Rule r;
    r.kind = seg::RuleKind::all;
    r.rules = std::move(rules);
    return r;
}

seg::Rule any(std::vector<seg::Rule> rules) {
    seg::Rule r;
    r.kind = seg::RuleKind::any;
    r.rules = std::move(rules);
    return r;
}

seg::Rule not_(seg::Rule rule) {
    seg::Rule r;
    r.kind = seg::RuleKind::not_;
    r.rules.push_back(std::move(rule));
    return r;
}

seg::Rule purchased(seg::Window w, std::vector<std::string> items,
                    std::vector<std::string> categories, int64_t min_orders) {
    seg::Rule r;
    r.kind = seg::RuleKind::purchased;
    r.window = w;
    r.items = std::move(items);
    r.categories = std::move(categories);
    r.min_orders = min_orders;
    return r;
}

seg::Rule orders(seg::Window w, std::optional<int64_t> min, std::optional<int64_t> max) {
    seg::Rule r;
    r.kind = seg::RuleKind::orders;
    r.window = w;
    r.min = min;
    r.max = max;
    return r;
}

seg::Rule revenue(seg::Window w, std::optional<int64_t> min, std::optional<int64_t> max) {
    seg::Rule r = orders(w, min, max);
    r.kind = seg::RuleKind::revenue;
    return r;
}

seg::Rule last_purchase(std::optional<int64_t> within_days, std::optional<int64_t> before_days) {
    seg::Rule r;
    r.kind = seg::RuleKind::last_purchase;
    r.within_days = within_days;
    r.before_days = before_days;
    return r;
}

seg::Rule first_purchase(std::optional<int64_t> within_days, std::optional<int64_t> before_days) {
    seg::Rule r = last_purchase(within_days, before_days);
    r.kind = seg::RuleKind::first_purchase;
    return r;
}

seg::Rule lifecycle(seg::Stage stage) {
    seg::Rule r;
    r.kind = seg::RuleKind::lifecycle;
    r.stage = stage;
    return r;
}

seg::Rule field_text(const std::string& name, seg::FieldOp op, std::vector<std::string> values,
                     seg::Window w) {
    seg::Rule r;
    r.kind = seg::RuleKind::field;
    r.window = w;
    r.field.name = name;
    r.field.type = sp::ValueType::string;
    r.field.op = op;
    for (auto& v : values) r.field.values.push_back(seg::FieldValue{std::move(v), 0});
    return r;
}

seg::Rule field_number(const std::string& name, sp::ValueType type, seg::FieldOp op,
                       std::vector<int64_t> values, seg::Window w) {
    seg::Rule r;
    r.kind = seg::RuleKind::field;
    r.window = w;
    r.field.name = name;
    r.field.type = type;
    r.field.op = op;
    for (int64_t v : values) r.field.values.push_back(seg::FieldValue{"", v});
    return r;
}

std::string csv(const std::string& value) {
    if (value.find_first_of(",\"\r\n") == std::string::npos && value == value.c_str() &&
        (value.empty() || (value.front() != ' ' && value.back() != ' '))) {
        return value;
    }
    std::string out = "\"";
    for (char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

}  // namespace sightline::evaluator_sql::testing
