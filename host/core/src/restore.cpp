// Restore from the archive (lifecycle.hpp): check everything, then replay the history in order.
#include <chrono>
#include <map>
#include <mutex>
#include <set>

#include "restore_lock.hpp"
#include "sightline/core/evaluator_choice.hpp"
#include "sightline/core/file_loader.hpp"
#include "sightline/core/history.hpp"
#include "sightline/core/lifecycle.hpp"
#include "sightline/core/pipeline.hpp"
#include "sightline/core/segment_backup.hpp"
#include "sightline/core/sha256.hpp"

namespace sightline::core {

using plugin::Error;
using plugin::FileKind;
using plugin::FileResult;
using plugin::LoadMode;
using plugin::LogLevel;

namespace {

struct Step {
    size_t position = 0;  // 1-based place in the history, for messages
    HistoryEntry entry;
};

std::string entry_label(const Step& s) {
    return "'" + s.entry.file.name + "' (history entry " + std::to_string(s.position) + ")";
}

// The history without cancelled entries, in order.
std::vector<Step> read_plan(plugin::Archive& archive, const std::string& tenant) {
    const std::vector<std::string> documents = archive.history(tenant);
    std::vector<Step> steps;
    std::set<std::string> cancelled;
    for (size_t i = 0; i < documents.size(); ++i) {
        try {
            Step s{i + 1, parse_history_entry(documents[i], i + 1)};
            if (s.entry.type == HistoryType::cancelled)
                cancelled.insert(s.entry.cancels);
            else
                steps.push_back(std::move(s));
        } catch (const Error& e) {
            throw RestoreRefused(std::string("the archive's history of '") + tenant +
                                 "' cannot be read: " + e.what() + "; nothing was changed");
        }
    }
    std::vector<Step> kept;
    for (auto& s : steps)
        if (s.entry.id.empty() || !cancelled.count(s.entry.id)) kept.push_back(std::move(s));
    return kept;
}

bool replays_object(const Step& s) {
    return s.entry.type == HistoryType::file && s.entry.file.result == FileResult::loaded;
}

// Streams an archived object through a check of its SHA-256 (the archive verifies too; this
// does not trust a third-party backend to).
class VerifiedSource {
public:
    VerifiedSource(plugin::Archive& archive, const std::string& tenant, const Step& step)
        : step_(step), reader_(archive.open(tenant, step.entry.file.sha256)) {}

    size_t read(char* buffer, size_t size) {
        const size_t n = reader_->read(buffer, size);
        if (n == 0) {
            if (sha_.hex() != step_.entry.file.sha256)
                throw Error("archived object of " + entry_label(step_) +
                            " does not match its SHA-256 " + step_.entry.file.sha256);
            return 0;
        }
        sha_.update(buffer, n);
        bytes_ += n;
        return n;
    }
    uint64_t bytes() const { return bytes_; }

private:
    const Step& step_;
    std::unique_ptr<plugin::ObjectReader> reader_;
    Sha256 sha_;
    uint64_t bytes_ = 0;
};

void verify_objects(plugin::Archive& archive, const std::string& tenant,
                    const std::vector<Step>& steps,
                    const std::function<void(const RestoreProgress&)>& progress) {
    RestoreProgress p;
    p.phase = "verify";
    p.entries = steps.size();
    for (const auto& s : steps)
        if (replays_object(s)) p.total_bytes += s.entry.file.bytes;
    // Presence first: a missing object is found without reading gigabytes.
    for (const auto& s : steps) {
        if (replays_object(s) && !archive.contains(tenant, s.entry.file.sha256))
            throw RestoreRefused("the archived object " + s.entry.file.sha256 + " of " +
                                 entry_label(s) + " is missing; nothing was changed");
    }
    std::set<std::string> verified;
    std::vector<char> buffer(1 << 20);
    for (const auto& s : steps) {
        ++p.entry;
        if (!replays_object(s) || !verified.insert(s.entry.file.sha256).second) continue;
        try {
            VerifiedSource source(archive, tenant, s);
            while (size_t n = source.read(buffer.data(), buffer.size())) {
                p.bytes += n;
                if (progress) progress(p);
            }
        } catch (const std::exception& e) {
            throw RestoreRefused("the archived object of " + entry_label(s) +
                                 " cannot be used: " + e.what() + "; nothing was changed");
        }
    }
    if (progress) progress(p);
}

// Where the replay writes. With --replace on a target of plugin API 1.6, into a storage beside
// the tenant's that is swapped in at the end, so that the tenant holds all its old data until the
// swap and all the new data after, whenever the process dies. An older target is dropped first.
std::unique_ptr<plugin::TenantStore> open_destination(Runtime& runtime, plugin::Target& target,
                                                      const std::string& tenant, bool replace,
                                                      const std::string& where,
                                                      RestoreReport& report) {
    if (replace && target.supports_swap()) {
        report.replaced_by = "swap";
        // Discards what a killed run left beside, then opens an empty storage.
        return target.open_beside(tenant);
    }
    if (replace) {
        report.replaced_by = "drop";
        const std::string warning =
            where + " cannot build the restore beside the tenant's data (its target plugin " +
            "predates plugin API 1.6): the data is dropped first, and if this restore stops " +
            "part-way (killed, a crash, an error) the tenant holds only part of its data until " +
            "a restore finishes";
        report.warnings.push_back(warning);
        runtime.log().event(LogLevel::warn, "restore.replace_drops",
                            {{"tenant", tenant}, {"reason", warning}});
        target.drop(tenant);
        // The dropped data's copies (evaluator-columnar's snapshot files) go with it.
        notify_data_removed(runtime, tenant);
        return target.open(tenant);
    }
    {
        std::unique_ptr<plugin::TenantStore> store = target.open(tenant);
        const size_t files = store->history().size();
        const uint64_t lines = store->stats().lines;
        if (files || lines)
            throw RestoreRefused(where + " already holds data of tenant '" + tenant + "' (" +
                                 std::to_string(files) + " files, " + std::to_string(lines) +
                                 " lines); restore with --replace to replace it; nothing was "
                                 "changed");
    }
    return target.open(tenant);
}

}  // namespace

RestoreReport restore_tenant(Runtime& runtime, const RestoreOptions& options,
                             const std::function<void(const RestoreProgress&)>& progress) {
    const auto started = std::chrono::steady_clock::now();
    const TenantProfile* tenant = runtime.profile().tenant(options.tenant);
    if (!tenant) throw RestoreRefused("unknown tenant '" + options.tenant + "'");
    const std::string role = options.into.empty() ? "target" : "targets." + options.into;
    plugin::Target* destination = &runtime.target();
    if (!options.into.empty()) {
        try {
            destination = &runtime.target(options.into);
        } catch (const StartupError& e) {
            throw RestoreRefused(e.what());
        }
    }
    plugin::Target& target = *destination;
    const std::string where = "the " + role + " section's database";
    try {
        runtime.require_api(role, 1, "restore");
    } catch (const Error& e) {
        throw RestoreRefused(e.what());
    }
    plugin::Archive& archive = runtime.archive();

    std::lock_guard<std::mutex> lock(runtime.pipeline().tenant_mutex(tenant->id));
    const RestoreLock one_at_a_time(runtime.profile().state_dir, tenant->id);
    const std::vector<Step> steps = read_plan(archive, tenant->id);
    runtime.log().event(
        LogLevel::info, "restore.started",
        {{"tenant", tenant->id}, {"into", role}, {"entries", std::to_string(steps.size())}});
    verify_objects(archive, tenant->id, steps, progress);
    RestoreReport report;
    std::unique_ptr<plugin::TenantStore> store =
        open_destination(runtime, target, tenant->id, options.replace, where, report);
    const bool beside = report.replaced_by == "swap";
    report.changed = !beside;  // until the swap, a restore beside changes nothing of the tenant

    RestoreProgress p;
    p.phase = "replay";
    p.entries = steps.size();
    for (const auto& s : steps)
        if (replays_object(s)) p.total_bytes += s.entry.file.bytes;
    try {
        for (const Step& step : steps) {
            ++p.entry;
            const HistoryEntry& e = step.entry;
            if (e.type == HistoryType::segments) {
                continue;  // definitions come back after the data (below)
            } else if (e.type == HistoryType::deletion) {
                store->delete_lines(e.deletion);
                ++report.deletions;
            } else if (e.file.result != FileResult::loaded) {
                store->record(e.file);
                ++report.files;
            } else if (e.file.kind == FileKind::sales && e.file.mode == LoadMode::incremental &&
                       store->find_loaded(e.file.sha256)) {
                // The same bytes entered twice (a retried load): loaded once, as at the time.
                ++report.skipped;
            } else {
                VerifiedSource source(archive, tenant->id, step);
                const uint64_t before = p.bytes;
                ByteSource read = [&](char* buffer, size_t size) {
                    const size_t n = source.read(buffer, size);
                    p.bytes = before + source.bytes();
                    if (progress) progress(p);
                    return n;
                };
                ParsedFile parsed = parse_into(*store, *tenant, e.file.kind, e.file.mode, read);
                if (parsed.error_count || !parsed.transaction) {
                    const std::string first =
                        parsed.errors.empty() ? std::string("refused")
                                              : Pipeline::describe(e.file.name, parsed.errors[0]);
                    throw Error(entry_label(step) + " was loaded then but is refused now (" +
                                first +
                                "); has the tenant's profile changed (delimiter, "
                                "allow_pii)?");
                }
                plugin::FileRecord record = e.file;
                record.rows = parsed.rows;
                parsed.transaction->commit(record);
                ++report.files;
                report.rows += parsed.rows;
                report.bytes += source.bytes();
            }
        }
        if (beside) {
            store.reset();  // no store of the beside storage may be open during the swap
            p.phase = "swap";
            if (progress) progress(p);
            const auto swap_started = std::chrono::steady_clock::now();
            target.swap_beside(tenant->id);
            report.swap_seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - swap_started)
                    .count();
            report.changed = true;
            runtime.log().event(
                LogLevel::info, "restore.swapped",
                {{"tenant", tenant->id},
                 {"into", role},
                 {"duration_ms",
                  std::to_string(static_cast<int64_t>(report.swap_seconds * 1000.0 + 0.5))}});
            // The replaced data's copies (evaluator-columnar's snapshot files) go with it.
            notify_data_removed(runtime, tenant->id);
        }
    } catch (const std::exception& ex) {
        const std::string state =
            beside && !report.changed
                ? "; the tenant's data is unchanged (the restore was built beside it): fix the "
                  "cause and run the restore again"
                : "; the destination is partly restored: fix the cause and run the restore "
                  "again with --replace";
        report.message = "the restore of '" + tenant->id + "' into " + role + " stopped at entry " +
                         std::to_string(p.entry) + " of " + std::to_string(p.entries) + ": " +
                         ex.what() + state;
        if (beside && !report.changed) {
            store.reset();
            try {
                target.discard_beside(tenant->id);
            } catch (const std::exception& discard) {
                // The next restore discards it first; only disk space is held meanwhile.
                runtime.log().event(LogLevel::warn, "restore.discard_failed",
                                    {{"tenant", tenant->id}, {"reason", discard.what()}});
            }
        }
        runtime.log().event(LogLevel::error, "restore.failed",
                            {{"tenant", tenant->id},
                             {"into", role},
                             {"operator", options.operator_name},
                             {"why", options.reason},
                             {"reason", ex.what()}});
        throw Error(report.message);
    }
    if (progress) progress(p);
    // The segment definitions, from the newest backup: versions the store lacks are added.
    // Data first: a definitions problem must not undo a restored database.
    try {
        SegmentStore segments(runtime.profile().state_dir);
        if (auto r = restore_segment_definitions(runtime, segments, tenant->id))
            report.definitions = r->imported;
    } catch (const std::exception& ex) {
        report.warnings.push_back(std::string("segment definitions were not restored: ") +
                                  ex.what());
        runtime.log().event(LogLevel::warn, "restore.segments_failed",
                            {{"tenant", tenant->id}, {"reason", ex.what()}});
    }
    report.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    report.message =
        "restored '" + tenant->id + "' into " + role + ": " + std::to_string(report.files) +
        " files (" + std::to_string(report.rows) + " rows), " + std::to_string(report.deletions) +
        " deletions replayed, " + std::to_string(report.definitions) +
        " segment definition versions added" +
        (report.replaced_by == "swap" ? " (built beside the old data, then swapped in)" : "");
    runtime.log().event(
        LogLevel::info, "restore.finished",
        {{"tenant", tenant->id},
         {"into", role},
         {"operator", options.operator_name},
         {"why", options.reason},
         {"files", std::to_string(report.files)},
         {"rows", std::to_string(report.rows)},
         {"deletions", std::to_string(report.deletions)},
         {"bytes", std::to_string(report.bytes)},
         {"seconds", std::to_string(report.seconds)},
         {"replaced_by", report.replaced_by},
         {"duration_ms", std::to_string(static_cast<int64_t>(report.seconds * 1000.0 + 0.5))}});
    return report;
}

}  // namespace sightline::core
