// A tenant's data over its life, beyond loads: selective deletion and restore from the archive.
// Both go through the archive's history first, which is what keeps a restore honest: a deletion
// is entered before it happens, so that no restore brings the lines back.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "sightline/core/runtime.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::core {

// Checks the request, gives it an id and the time, enters it in the archive's history (unless a
// dry run), then removes the lines in the tenant's database. Throws plugin::Error with a message
// for the operator when the request is invalid or the deletion fails (nothing is removed then).
plugin::DeletionResult delete_lines(Runtime& runtime, const std::string& tenant,
                                    plugin::DeletionRequest request);

struct RestoreOptions {
    std::string tenant;
    std::string into;  // a section of the profile's `targets:`; empty: the profile's target
    // Replace the destination's data of the tenant: built beside it and swapped in (plugin API
    // 1.6 targets), or dropped first (older targets).
    bool replace = false;
    std::string operator_name;  // who runs it (the audit log names them)
    std::string reason;         // why (required by the CLI)
};

struct RestoreProgress {
    const char* phase = "";  // "verify" (reading every object), "replay", or "swap"
    uint64_t entry = 0, entries = 0;
    uint64_t bytes = 0, total_bytes = 0;
};

struct RestoreReport {
    bool changed = false;  // false: the destination was left as it was
    uint64_t files = 0;    // file entries replayed (loaded, duplicate and refused ones)
    uint64_t rows = 0;     // lines and catalog items loaded
    uint64_t deletions = 0;
    uint64_t skipped = 0;      // cancelled entries and repeats of an already loaded file
    uint64_t bytes = 0;        // archived bytes read while replaying
    uint64_t definitions = 0;  // segment definition versions added from the newest backup
    double seconds = 0;
    // With replace: "swap" (built beside, swapped in) or "drop" (dropped, then replayed).
    std::string replaced_by;
    double swap_seconds = 0;  // of the swap alone
    std::string message;
    std::vector<std::string> warnings;
};

// Thrown when a restore cannot start (bad history, missing or corrupt object, destination not
// empty): nothing was changed.
class RestoreRefused : public plugin::Error {
public:
    using plugin::Error::Error;
};

// Rebuilds the tenant's data in the destination from the archive alone by replaying its
// history in order. Throws RestoreRefused before changing anything, plugin::Error when the
// replay fails part-way (the report's message says how far it got).
RestoreReport restore_tenant(Runtime& runtime, const RestoreOptions& options,
                             const std::function<void(const RestoreProgress&)>& progress = {});

}  // namespace sightline::core
