// Segments as the CLI and the HTTP API use them: the store, evaluation through the profile's
// evaluator plugins, and an in-memory result cache. Thread-safe.
//
// Evaluator choice: core::choose_evaluator (evaluator_choice.hpp): the first plugin of the
// profile's `evaluators:` list that supports the target's dialect and does not decline the
// tenant, or the one named. Results are cached in memory, keyed by tenant, canonical definition,
// as_of (to the second) and the tenant's data version (TenantStore::data_version, API 1.5), so
// any load, deletion or restore, by this process or another, invalidates them; a target that
// cannot give its data version (built before 1.5) gets no caching.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sightline/core/segment_definition.hpp"
#include "sightline/core/segment_store.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::core {

class Runtime;

struct Evaluation {
    std::vector<uint64_t> customers;  // ascending
    std::vector<std::string> warnings;
    int64_t as_of_us = 0;
    std::string evaluator;  // plugin id that computed it
    bool cached = false;
    int64_t duration_us = 0;
};

// A request the caller got wrong (unknown tenant or segment, invalid definition): the HTTP API
// maps code to a status; the CLI prints message.
class SegmentError : public std::runtime_error {
public:
    SegmentError(std::string code, const std::string& message,
                 std::vector<DefinitionError> details = {})
        : std::runtime_error(message), code_(std::move(code)), details_(std::move(details)) {}
    // "unknown_tenant", "unknown_segment", "invalid_definition", "no_evaluator"
    const std::string& code() const { return code_; }
    const std::vector<DefinitionError>& details() const { return details_; }

private:
    std::string code_;
    std::vector<DefinitionError> details_;
};

// One evaluation against any target of the runtime, without the cache and without logging (the
// SDK harness and tests use it for `targets:` sections).
Evaluation evaluate_on_target(Runtime& runtime, plugin::Target& target, const std::string& tenant,
                              const plugin::segment::Rule& rule, std::optional<int64_t> as_of_us,
                              const std::string& evaluator = "");

class SegmentService {
public:
    explicit SegmentService(Runtime& runtime, size_t cache_entries = 1024);
    ~SegmentService();

    SegmentStore& store();

    // as_of: µs; default now (to the second). evaluator: plugin id, "" for the profile's choice.
    Evaluation evaluate(const std::string& tenant, const plugin::segment::Definition& definition,
                        const std::string& canonical_json, std::optional<int64_t> as_of_us,
                        const std::string& evaluator = "");
    // A stored segment (current version).
    Evaluation evaluate_stored(const std::string& tenant, const std::string& id,
                               std::optional<int64_t> as_of_us, const std::string& evaluator = "");
    // Throws SegmentError("unknown_tenant") unless the profile defines the tenant.
    void check_tenant(const std::string& tenant) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sightline::core
