#include "sightline/core/segment_service.hpp"

#include <algorithm>
#include <chrono>
#include <list>
#include <mutex>
#include <set>
#include <unordered_map>

#include "sightline/core/evaluator_choice.hpp"
#include "sightline/core/runtime.hpp"

namespace sightline::core {

namespace seg = plugin::segment;

namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
// The cache holds at most this many customer ids in total (8 bytes each): large segments do not
// push out everything else, and memory stays bounded.
constexpr size_t kCachedIdsLimit = 8'000'000;

void field_names(const seg::Rule& rule, std::set<std::string>& out) {
    if (rule.kind == seg::RuleKind::field) out.insert(rule.field.name);
    for (const auto& child : rule.rules) field_names(child, out);
}

// The cache key's data version: changes whenever the tenant's data can have changed (a load, a
// full upload, a deletion, a restore), also by another process. "" when the target cannot say
// (built before API 1.5): then nothing is cached.
std::string data_version(plugin::TenantStore& store) {
    const plugin::DataVersion version = store.data_version();
    return version.known() ? version.text() : std::string();
}

Evaluation evaluate_uncached(const ChosenEvaluator& chosen, plugin::TenantStore& store,
                             const std::string& tenant_id, const TenantProfile& tenant,
                             const seg::Rule& rule, int64_t as_of) {
    plugin::EvaluationRequest request;
    request.tenant = tenant_id;
    request.rule = &rule;
    request.as_of_us = as_of;
    request.active_days = tenant.active_days;
    request.inactive_days = tenant.inactive_days;
    plugin::EvaluationResult result = chosen.evaluator->evaluate(request, store);
    if (!std::is_sorted(result.customers.begin(), result.customers.end()) ||
        std::adjacent_find(result.customers.begin(), result.customers.end()) !=
            result.customers.end())
        throw plugin::Error("the evaluator '" + chosen.id +
                            "' returned ids that are not ascending and unique");
    Evaluation out;
    out.customers = std::move(result.customers);
    out.warnings = std::move(result.warnings);
    // The spec's warning, in one place for every evaluator.
    std::set<std::string> names;
    field_names(rule, names);
    if (!names.empty()) {
        std::set<std::string> known;
        for (const auto& c : store.custom_columns()) known.insert(c.name);
        for (const auto& n : names) {
            if (!known.count(n))
                out.warnings.push_back("field '" + n +
                                       "' does not occur in this tenant's data: it matches no "
                                       "line");
        }
    }
    out.as_of_us = as_of;
    out.evaluator = chosen.id;
    return out;
}

int64_t default_as_of(Runtime& runtime) {
    const int64_t now = runtime.clock()();
    return now - ((now % kMicrosPerSecond) + kMicrosPerSecond) % kMicrosPerSecond;
}

}  // namespace

Evaluation evaluate_on_target(Runtime& runtime, plugin::Target& target, const std::string& tenant,
                              const seg::Rule& rule, std::optional<int64_t> as_of_us,
                              const std::string& evaluator) {
    const TenantProfile* profile = runtime.profile().tenant(tenant);
    if (!profile)
        throw SegmentError("unknown_tenant", "the profile has no tenant '" + tenant + "'");
    auto store = target.open(tenant);
    const ChosenEvaluator chosen = choose_evaluator(runtime, evaluator, target.dialect(), tenant,
                                                    *store, EvaluatorPurpose::segments);
    return evaluate_uncached(chosen, *store, tenant, *profile, rule,
                             as_of_us ? *as_of_us : default_as_of(runtime));
}

namespace {

struct CacheEntry {
    std::string key;
    std::string data_version;
    std::shared_ptr<const Evaluation> result;
};

}  // namespace

struct SegmentService::Impl {
    Runtime& runtime;
    SegmentStore store;
    size_t cache_entries;

    std::mutex mutex;           // guards everything below
    std::list<CacheEntry> lru;  // most recent first
    std::unordered_map<std::string, std::list<CacheEntry>::iterator> index;
    size_t cached_ids = 0;

    Impl(Runtime& r, size_t entries)
        : runtime(r), store(r.profile().state_dir), cache_entries(entries) {}

    std::shared_ptr<const Evaluation> cached(const std::string& key, const std::string& version) {
        std::lock_guard<std::mutex> lock(mutex);
        auto it = index.find(key);
        if (it == index.end()) return nullptr;
        if (it->second->data_version != version) {
            drop(it->second);
            return nullptr;
        }
        lru.splice(lru.begin(), lru, it->second);
        return it->second->result;
    }
    void remember(const std::string& key, const std::string& version,
                  std::shared_ptr<const Evaluation> result) {
        if (cache_entries == 0 || result->customers.size() > kCachedIdsLimit / 4) return;
        std::lock_guard<std::mutex> lock(mutex);
        auto it = index.find(key);
        if (it != index.end()) drop(it->second);
        lru.push_front({key, version, result});
        index[key] = lru.begin();
        cached_ids += result->customers.size();
        while (!lru.empty() && (lru.size() > cache_entries || cached_ids > kCachedIdsLimit))
            drop(std::prev(lru.end()));
    }
    void drop(std::list<CacheEntry>::iterator it) {
        cached_ids -= it->result->customers.size();
        index.erase(it->key);
        lru.erase(it);
    }
};

SegmentService::SegmentService(Runtime& runtime, size_t cache_entries)
    : impl_(std::make_unique<Impl>(runtime, cache_entries)) {}

SegmentService::~SegmentService() = default;

SegmentStore& SegmentService::store() { return impl_->store; }

void SegmentService::check_tenant(const std::string& tenant) const {
    if (!impl_->runtime.profile().tenant(tenant))
        throw SegmentError("unknown_tenant", "the profile has no tenant '" + tenant + "'");
}

Evaluation SegmentService::evaluate(const std::string& tenant, const seg::Definition& definition,
                                    const std::string& canonical_json,
                                    std::optional<int64_t> as_of_us, const std::string& evaluator) {
    check_tenant(tenant);
    const auto started = std::chrono::steady_clock::now();
    const TenantProfile& tenant_profile = *impl_->runtime.profile().tenant(tenant);
    const int64_t as_of = as_of_us ? *as_of_us : default_as_of(impl_->runtime);
    plugin::Target& target = impl_->runtime.target();

    // From the runtime's store pool (the process's budget of target connections), which keeps
    // idle stores for reuse and closes one whose call threw.
    auto store = target.open(tenant);
    const ChosenEvaluator chosen = choose_evaluator(impl_->runtime, evaluator, target.dialect(),
                                                    tenant, *store, EvaluatorPurpose::segments);
    Evaluation out;
    const std::string version = data_version(*store);
    const std::string key = tenant + '\n' + chosen.id + '\n' + std::to_string(as_of) + '\n' +
                            std::to_string(tenant_profile.active_days) + '/' +
                            std::to_string(tenant_profile.inactive_days) + '\n' + canonical_json;
    if (auto hit = version.empty() ? nullptr : impl_->cached(key, version)) {
        out = *hit;
        out.cached = true;
    } else {
        out = evaluate_uncached(chosen, *store, tenant, tenant_profile, definition.rule, as_of);
        if (!version.empty())
            impl_->remember(key, version, std::make_shared<const Evaluation>(out));
    }
    store.reset();
    out.duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
    impl_->runtime.log().event(plugin::LogLevel::info, "segment.evaluated",
                               {{"tenant", tenant},
                                {"segment", definition.id},
                                {"evaluator", out.evaluator},
                                {"customers", std::to_string(out.customers.size())},
                                {"cached", out.cached ? "true" : "false"},
                                {"duration_us", std::to_string(out.duration_us)}});
    return out;
}

Evaluation SegmentService::evaluate_stored(const std::string& tenant, const std::string& id,
                                           std::optional<int64_t> as_of_us,
                                           const std::string& evaluator) {
    check_tenant(tenant);
    const auto stored = impl_->store.get(tenant, id);
    if (!stored)
        throw SegmentError("unknown_segment",
                           "tenant '" + tenant + "' has no segment '" + id + "'");
    const ParsedDefinition parsed =
        parse_definition(stored->definition_json, DefinitionFormat::json);
    if (!parsed.definition)
        throw SegmentError("invalid_definition", "the stored segment '" + id + "' no longer parses",
                           parsed.errors);
    return evaluate(tenant, *parsed.definition, parsed.canonical_json, as_of_us, evaluator);
}

}  // namespace sightline::core
