// In-process test harness for plugin authors: runs the real host pipeline (profile checks,
// plugin loading, CSV parsing, validation, the personal-data guard, archive, target) with your
// plugin in it, inside your test process. Link Sightline::harness.
//
//   sightline::testing::Harness h(R"(
//     version: 1
//     archive: {plugin: my-archive, config: {root: "{dir}/archive"}}
//     target:  {plugin: target-sqlite, config: {dir: "{dir}/db"}}
//     tenants: [{id: acme}]
//   )", {"/path/to/my/build", "/usr/lib/sightline/plugins"});
//   auto result = h.load_text("acme", "sales.csv", "order,timestamp,customer,item,price\n...");
//   EXPECT_EQ(result.outcome, "loaded");
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sightline/plugin/archive.hpp"
#include "sightline/plugin/target.hpp"
#include "sightline/plugin/transport.hpp"

namespace sightline::testing {

struct LoadResult {
    std::string outcome;  // "loaded", "duplicate", "refused", "refused_pii", "retry"
    std::string message;
    uint64_t rows = 0;
    std::string sha256;
    std::vector<std::string> errors;  // "file:line:column (name): reason"
};

struct RestoreResult {
    bool ok = false;
    std::string message;  // what was restored, or why nothing was changed
    uint64_t files = 0;   // history entries of files replayed (loaded, duplicate, refused)
    uint64_t rows = 0;    // sales lines and catalog items loaded while replaying
    uint64_t deletions = 0;
};

struct EvaluateResult {
    std::vector<uint64_t> customers;  // ascending
    std::vector<std::string> warnings;
    std::string evaluator;  // plugin id that computed it
};

class Harness {
public:
    // profile_yaml: a whole profile; every "{dir}" in it becomes a fresh temporary folder that
    // the harness removes at the end. plugin_path: folders to find plugins in, searched first.
    Harness(const std::string& profile_yaml, const std::vector<std::string>& plugin_path);
    ~Harness();
    Harness(const Harness&) = delete;
    Harness& operator=(const Harness&) = delete;

    LoadResult load(const std::string& tenant, const std::string& file, bool full = false);
    LoadResult load_text(const std::string& tenant, const std::string& name, const std::string& csv,
                         bool full = false);

    // Selective deletion through the host, as `sightline delete` runs it (recorded in the
    // target's and the archive's history unless dry_run). Throws plugin::Error on failure.
    plugin::DeletionResult delete_lines(const std::string& tenant, plugin::DeletionRequest request);
    // Rebuild the tenant from the archive alone, as `sightline restore` does: into the
    // profile's target, or into the named section of the profile's `targets:`. replace: drop
    // the destination's data for the tenant first (otherwise it must be empty).
    RestoreResult restore(const std::string& tenant, const std::string& into = "",
                          bool replace = false);

    // Evaluate a segment definition (JSON or YAML text, parsed and checked by the host exactly as
    // `sightline segment eval` does) against the tenant's data in the profile's target, or in
    // the named section of `targets:`. as_of: a sales timestamp ("2026-01-31T12:00:00Z").
    // evaluator: a plugin id from the profile's `evaluators:`, "" for the host's choice (the
    // first that supports the target's dialect). Throws plugin::Error for an invalid definition
    // (the message lists every error with its path) or an evaluator failure.
    EvaluateResult evaluate(const std::string& tenant, const std::string& definition,
                            const std::string& as_of, const std::string& evaluator = "",
                            const std::string& target_section = "");
    plugin::Archive& archive();
    plugin::Target& target();
    // A named target section of the profile's `targets:` map.
    plugin::Target& target(const std::string& section);
    // Where the pipeline receives uploads: hand it to a transport plugin under test.
    plugin::UploadSink& sink();
    const std::string& dir() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sightline::testing
