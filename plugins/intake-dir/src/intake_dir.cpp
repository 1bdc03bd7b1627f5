#include "intake_dir.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <exception>
#include <utility>

#include "file_name.hpp"

namespace sightline::intake_dir {

namespace {

using plugin::Error;
using plugin::LogLevel;
using plugin::UploadOutcome;

bool cancelled(const std::atomic<bool>* cancel) { return cancel != nullptr && cancel->load(); }

std::string join(const std::string& folder, const std::string& name) {
    return folder == "/" ? folder + name : folder + "/" + name;
}

const char* flag(bool value) { return value ? "true" : "false"; }

}  // namespace

IntakeDir::IntakeDir(Config config, plugin::HostServices& host)
    : config_(std::move(config)), host_(host) {}

IntakeDir::~IntakeDir() {
    // The host stops transports before destroying them; this only guards against a thread
    // outliving its object when it does not (or in a test that fails half-way).
    try {
        stop();
    } catch (...) {
    }
}

void IntakeDir::start(plugin::UploadSink& sink) {
    std::lock_guard<std::mutex> lifecycle(lifecycle_mutex_);
    if (poller_.joinable()) throw Error("intake-dir: start() called twice without stop()");
    if (config_.create_folders) create_folders();
    stop_requested_ = false;
    last_pass_error_.clear();
    poller_ = std::thread([this, &sink] { poll_loop(sink); });
    log(LogLevel::info, "intake.started",
        {{"root", config_.root}, {"poll_interval_ms", std::to_string(config_.poll_interval_ms)}});
}

void IntakeDir::stop() {
    std::lock_guard<std::mutex> lifecycle(lifecycle_mutex_);
    if (!poller_.joinable()) return;
    {
        // Set under the mutex so the poller cannot miss the wake-up between its check and wait.
        std::lock_guard<std::mutex> lock(wake_mutex_);
        stop_requested_ = true;
    }
    wake_.notify_all();
    poller_.join();  // returns once an in-flight submit() has returned
    log(LogLevel::info, "intake.stopped", {{"root", config_.root}});
}

void IntakeDir::drain(plugin::UploadSink& sink) {
    if (config_.create_folders) create_folders();
    run_pass(sink, nullptr);
}

void IntakeDir::poll_loop(plugin::UploadSink& sink) {
    for (;;) {
        // Nothing may escape a thread; a failed pass is logged (once while it keeps failing the
        // same way) and the next poll tries again.
        std::string failure;
        try {
            run_pass(sink, &stop_requested_);
        } catch (const std::exception& e) {
            failure = e.what();
        } catch (...) {
            failure = "unknown exception";
        }
        if (!failure.empty() && failure != last_pass_error_) {
            log(LogLevel::error, "intake.pass_failed", {{"error", failure}});
        }
        last_pass_error_ = failure;

        std::unique_lock<std::mutex> lock(wake_mutex_);
        if (wake_.wait_for(lock, std::chrono::milliseconds(config_.poll_interval_ms),
                           [this] { return stop_requested_.load(); })) {
            return;
        }
    }
}

void IntakeDir::create_folders() {
    std::lock_guard<std::mutex> pass(pass_mutex_);
    int error = make_directories(config_.root, config_.landing_mode);
    if (error != 0) {
        throw Error("intake-dir: cannot create root folder " + config_.root + ": " +
                    error_text(error));
    }
    Fd root = open_directory(AT_FDCWD, config_.root, true, error);
    if (!root.valid()) {
        throw Error("intake-dir: cannot open root folder " + config_.root + ": " +
                    error_text(error));
    }
    for (const auto& tenant : host_.tenants()) {
        if (!is_plain_component(tenant)) continue;  // reported by the pass
        const std::string tenant_path = join(config_.root, tenant);
        error = make_directory_at(root.get(), tenant, config_.landing_mode);
        if (error != 0) {
            throw Error("intake-dir: cannot create " + tenant_path + ": " + error_text(error));
        }
        // A tenant folder that is a symlink is not followed; the pass reports it.
        Fd tenant_fd = open_directory(root.get(), tenant, false, error);
        if (!tenant_fd.valid()) continue;
        error = make_directory_at(tenant_fd.get(), "full", config_.landing_mode);
        if (error != 0) {
            throw Error("intake-dir: cannot create " + tenant_path + "/full: " + error_text(error));
        }
    }
}

void IntakeDir::run_pass(plugin::UploadSink& sink, const std::atomic<bool>* cancel) {
    std::lock_guard<std::mutex> pass(pass_mutex_);
    const auto tenants = host_.tenants();
    int error = 0;
    Fd root = open_directory(AT_FDCWD, config_.root, true, error);
    if (!root.valid()) {
        throw Error("intake-dir: cannot open root folder " + config_.root + ": " +
                    error_text(error));
    }
    const std::set<std::string> listed(tenants.begin(), tenants.end());
    for (auto it = ledgers_.begin(); it != ledgers_.end();) {
        it = listed.count(it->first) ? std::next(it) : ledgers_.erase(it);
    }
    for (const auto& tenant : tenants) {
        if (cancelled(cancel)) return;
        if (!is_plain_component(tenant)) {
            if (bad_tenants_.insert(tenant).second) {
                log(LogLevel::error, "intake.tenant_invalid",
                    {{"tenant", tenant}, {"reason", "not usable as a folder name"}});
            }
            continue;
        }
        scan_tenant(root.get(), tenant, sink, cancel);
    }
}

void IntakeDir::scan_tenant(int root_fd, const std::string& tenant, plugin::UploadSink& sink,
                            const std::atomic<bool>* cancel) {
    const std::string tenant_path = join(config_.root, tenant);
    int error = 0;
    Fd tenant_fd = open_directory(root_fd, tenant, false, error);
    if (!tenant_fd.valid()) return folder_missing(tenant_path, error);

    Listing listing;
    error = list_folder(tenant_fd.get(), tenant_path, false, listing);
    if (error != 0) return folder_missing(tenant_path, error);
    missing_folders_.erase(tenant_path);

    // A missing full/ only means no full uploads; a full/ that is a symlink or a file shows up
    // in the tenant folder's listing and is reported there.
    const std::string full_path = tenant_path + "/full";
    Fd full_fd = open_directory(tenant_fd.get(), "full", false, error);
    if (full_fd.valid()) error = list_folder(full_fd.get(), full_path, true, listing);
    if (error != 0 && error != ENOENT && error != ELOOP && error != ENOTDIR) {
        folder_missing(full_path, error);
    } else {
        missing_folders_.erase(full_path);
    }

    FileLedger& ledger = ledgers_[tenant];
    std::set<std::string> present;
    for (const auto* group : {&listing.files, &listing.symlinks, &listing.others}) {
        for (const auto& entry : *group) present.insert(entry.path);
    }
    ledger.keep_only(present);
    report_skipped(tenant, listing, ledger);

    sort_oldest_first(listing.files);
    for (const auto& file : listing.files) {
        if (cancelled(cancel)) return;
        if (!process(tenant, file, ledger, sink)) return;
    }
}

bool IntakeDir::process(const std::string& tenant, const LandingEntry& file, FileLedger& ledger,
                        plugin::UploadSink& sink) {
    if (ledger.finished(file.path, file.id)) {
        // Processed before but could not be removed (reported then): try again quietly.
        if (::unlinkat(file.dir_fd, file.name.c_str(), 0) == 0) ledger.forget(file.path);
        return true;
    }

    // Files are in mtime order, so when this one is not ready neither are the later ones, and
    // when it waits for a retry the later ones wait too: a full upload must not overtake the
    // incremental uploads made before it, nor be overtaken by those made after it.
    const int64_t now_us = host_.now_us();
    const int64_t age_us = now_us - file.id.mtime_ns / 1000;
    if (config_.settle_ms > 0 && age_us < config_.settle_ms * 1000) return false;
    if (!ledger.due(file.path, file.id, now_us)) return false;

    // The listing may be minutes old when an earlier submit was slow: check the file is still
    // the regular file that was listed. If not, the next pass lists it as it is now.
    struct stat st {};
    if (stat_entry(file.dir_fd, file.name, st) != 0 || !S_ISREG(st.st_mode) ||
        file_id(st) != file.id) {
        return false;
    }

    const plugin::LogFields fields{
        {"tenant", tenant}, {"file", file.name}, {"full", flag(file.full)}};
    auto seen = fields;
    seen["bytes"] = std::to_string(file.id.size);
    log(LogLevel::info, "upload.seen", seen);

    const plugin::Upload upload{tenant, file.path, file.name, file.full, "", ""};
    plugin::UploadResult result;
    std::string failure;
    try {
        result = sink.submit(upload);
    } catch (const std::exception& e) {
        failure = e.what();
    } catch (...) {
        failure = "unknown exception";
    }
    if (!failure.empty()) {
        auto failed = fields;
        failed["error"] = failure;
        log(LogLevel::error, "upload.submit_failed", failed);
    }

    if (!failure.empty() || result.outcome == UploadOutcome::retry) {
        const int failures = ledger.record_retry(file.path, file.id, host_.now_us());
        auto retry = fields;
        retry["attempt"] = std::to_string(failures);
        retry["delay_ms"] = std::to_string(retry_delay_us(failures) / 1000);
        retry["reason"] = failure.empty() ? result.message : failure;
        log(LogLevel::warn, "upload.retry", retry);
        return false;
    }
    remove_processed(tenant, file, result.outcome, ledger);
    return true;
}

void IntakeDir::remove_processed(const std::string& tenant, const LandingEntry& file,
                                 plugin::UploadOutcome outcome, FileLedger& ledger) {
    plugin::LogFields fields{{"tenant", tenant},
                             {"file", file.name},
                             {"full", flag(file.full)},
                             {"outcome", plugin::to_string(outcome)}};
    struct stat st {};
    int error = stat_entry(file.dir_fd, file.name, st);
    if (error == 0 && file_id(st) != file.id) {
        // Replaced (or rewritten) while the sink had it: that is a new upload, which must be
        // kept and submitted in its turn, not deleted unseen.
        ledger.forget(file.path);
        log(LogLevel::warn, "upload.changed", fields);
        return;
    }
    if (error == 0 && ::unlinkat(file.dir_fd, file.name.c_str(), 0) != 0) error = errno;
    if (error != 0 && error != ENOENT) {
        // Never submit this version again; keep trying to remove it on later passes.
        ledger.mark_finished(file.path, file.id);
        fields["error"] = error_text(error);
        log(LogLevel::error, "upload.remove_failed", fields);
        return;
    }
    ledger.forget(file.path);
    log(LogLevel::info, "upload.done", fields);
}

void IntakeDir::report_skipped(const std::string& tenant, const Listing& listing,
                               FileLedger& ledger) {
    const std::pair<const std::vector<LandingEntry>*, const char*> groups[] = {
        {&listing.symlinks, "symlink"}, {&listing.others, "not_regular_file"}};
    for (const auto& [entries, reason] : groups) {
        for (const auto& entry : *entries) {
            if (!ledger.first_warning(entry.path, entry.id)) continue;
            log(LogLevel::warn, "upload.skipped",
                {{"tenant", tenant},
                 {"file", entry.name},
                 {"full", flag(entry.full)},
                 {"reason", reason}});
        }
    }
}

void IntakeDir::folder_missing(const std::string& path, int error) {
    if (!missing_folders_.insert(path).second) return;
    const bool symlink = error == ELOOP || error == ENOTDIR;
    log(LogLevel::warn, "intake.folder_unusable",
        {{"folder", path},
         {"error", symlink ? "not a folder (symlinks are not followed)" : error_text(error)}});
}

void IntakeDir::log(plugin::LogLevel level, const char* event, const plugin::LogFields& fields) {
    host_.log(level, event, fields);
}

}  // namespace sightline::intake_dir
