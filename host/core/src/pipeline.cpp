#include "sightline/core/pipeline.hpp"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

#include <thread>

#include "sightline/core/csv_reader.hpp"
#include "sightline/core/history.hpp"
#include "sightline/core/sha256.hpp"
#include "sightline/core/timestamp.hpp"

namespace sightline::core {

using plugin::FileKind;
using plugin::FileResult;
using plugin::LoadMode;
using plugin::LogLevel;
using plugin::UploadOutcome;

namespace {

constexpr uint64_t progress_step = 4u << 20;  // report every 4 MiB

// Closes the file descriptor on every path out.
struct FileHandle {
    int fd = -1;
    ~FileHandle() {
        if (fd >= 0) ::close(fd);
    }
};

std::string summarize(const std::string& file, const std::vector<FormatError>& errors,
                      uint64_t count) {
    std::string out;
    const size_t shown = std::min<size_t>(errors.size(), 10);
    for (size_t i = 0; i < shown; ++i) out += (i ? "\n" : "") + Pipeline::describe(file, errors[i]);
    if (count > shown) out += "\n... and " + std::to_string(count - shown) + " more";
    return out;
}

}  // namespace

Pipeline::Pipeline(plugin::Archive& archive, plugin::Target& target,
                   std::vector<TenantProfile> tenants, EventLog& log,
                   std::function<int64_t()> clock_us)
    : archive_(archive),
      target_(target),
      tenants_(std::make_shared<const std::vector<TenantProfile>>(std::move(tenants))),
      log_(log),
      clock_us_(std::move(clock_us)),
      sleep_([](int64_t us) { std::this_thread::sleep_for(std::chrono::microseconds(us)); }) {}

void Pipeline::set_retry(RetryPolicy policy, Sleeper sleeper) {
    retry_ = policy;
    sleep_ = std::move(sleeper);
}

std::string Pipeline::describe(const std::string& file, const FormatError& e) {
    std::string out = file;
    if (e.line) out += ":" + std::to_string(e.line);
    if (e.column) out += ":" + std::to_string(e.column);
    if (!e.column_name.empty()) out += " (" + e.column_name + ")";
    return out + ": " + e.reason;
}

void Pipeline::set_after_removal(std::function<void(const std::string& tenant)> fn) {
    after_removal_ = std::move(fn);
}

std::mutex& Pipeline::tenant_mutex(const std::string& tenant) {
    std::lock_guard<std::mutex> lock(mutexes_guard_);
    auto& m = tenant_mutexes_[tenant];
    if (!m) m = std::make_unique<std::mutex>();
    return *m;
}

plugin::UploadResult Pipeline::submit(const plugin::Upload& upload) {
    LoadRequest request;
    request.tenant = upload.tenant;
    request.path = upload.path;
    request.name = upload.name;
    request.mode = upload.full ? LoadMode::full : LoadMode::incremental;
    request.account = upload.account;
    request.peer = upload.peer;
    request.kept_for_retry = true;  // UploadOutcome::retry: the transport keeps it, tries later
    LoadReport report = process(request);
    // A transport shows this to the tenant (intake-ftps's status notes). A refusal carries its
    // first errors, each with file, line, column and reason: they are about the tenant's own
    // file. A failure says only that it failed: its detail (database errors, server paths)
    // stays in the log and the job history, under the job id the note quotes.
    std::string message = report.outcome == UploadOutcome::retry
                              ? "the server could not load " + report.record.name +
                                    " this time; the file is kept and will be retried"
                              : report.message;
    if (report.outcome == UploadOutcome::refused && !report.record.detail.empty())
        message += ":\n" + report.record.detail;
    message += "\njob: " + report.job;
    return plugin::UploadResult{report.outcome, message};
}

void Pipeline::set_tenants(std::vector<TenantProfile> tenants) {
    auto next = std::make_shared<const std::vector<TenantProfile>>(std::move(tenants));
    std::lock_guard<std::mutex> lock(tenants_guard_);
    tenants_ = std::move(next);
}

std::shared_ptr<const std::vector<TenantProfile>> Pipeline::tenants() const {
    std::lock_guard<std::mutex> lock(tenants_guard_);
    return tenants_;
}

LoadReport Pipeline::process(const LoadRequest& in, const ProgressFunction& progress) {
    const auto started = std::chrono::steady_clock::now();
    LoadRequest request = in;
    if (request.name.empty())
        request.name = std::filesystem::path(request.path).filename().string();
    request.name = std::filesystem::path(request.name).filename().string();  // never a folder

    LoadReport report;
    report.record.name = request.name;
    const std::string job = new_history_id(clock_us_());
    report.job = job;
    const TenantProfile* tenant = nullptr;
    const auto tenants = this->tenants();  // kept alive for the whole load
    for (const auto& t : *tenants)
        if (t.id == request.tenant) tenant = &t;
    if (!valid_tenant_id(request.tenant) || !tenant) {
        report.outcome = UploadOutcome::refused;
        report.message = "unknown tenant '" + request.tenant + "'";
        log_.event(LogLevel::warn, "load.refused",
                   {{"tenant", request.tenant},
                    {"file", request.name},
                    {"result", "refused"},
                    {"reason", "unknown tenant"},
                    {"account", request.account},
                    {"peer", request.peer},
                    {"job", job}});
        return report;
    }

    std::lock_guard<std::mutex> lock(tenant_mutex(tenant->id));
    plugin::LogFields started_fields = {{"tenant", tenant->id},
                                        {"file", request.name},
                                        {"mode", plugin::to_string(request.mode)},
                                        {"job", job}};
    if (!request.account.empty()) started_fields["account"] = request.account;
    if (!request.peer.empty()) started_fields["peer"] = request.peer;
    if (!request.operator_name.empty()) started_fields["operator"] = request.operator_name;
    if (!request.reason.empty()) started_fields["reason"] = request.reason;
    log_.event(LogLevel::info, "load.started", started_fields);
    // The cause (a database error, a full disk: its folder and errno text) is for operators:
    // the log and the job history. A transport's note to the tenant says only that it retries.
    const std::string failed = request.kept_for_retry
                                   ? "load failed and was rolled back; the file stays pending "
                                     "and will be retried: "
                                   : "load failed and was rolled back: ";
    int64_t pause_us = retry_.first_pause_us, earlier_attempt_us = 0;
    for (int attempt = 1;; ++attempt) {
        int64_t attempt_at_us = 0;
        bool transient = false;
        try {
            report = run(request, *tenant, progress, attempt_at_us, earlier_attempt_us);
            break;
        } catch (const plugin::Error& e) {
            transient = e.transient();
            report.outcome = UploadOutcome::retry;
            report.message = failed + e.what();
        } catch (const std::exception& e) {
            report.outcome = UploadOutcome::retry;
            report.message = failed + e.what();
        }
        if (!transient || attempt >= retry_.attempts) break;
        log_.event(LogLevel::warn, "load.retrying",
                   {{"tenant", tenant->id},
                    {"file", request.name},
                    {"attempt", std::to_string(attempt + 1)},
                    {"pause_ms", std::to_string(pause_us / 1000)},
                    {"reason", report.message}});
        sleep_(pause_us);
        pause_us *= 2;
        if (attempt_at_us) earlier_attempt_us = attempt_at_us;
    }
    report.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    report.job = job;

    plugin::LogFields fields = {
        {"job", job},
        {"tenant", tenant->id},
        {"file", request.name},
        {"result", plugin::to_string(report.outcome)},
        {"seconds", std::to_string(report.seconds)},
        {"duration_ms", std::to_string(static_cast<int64_t>(report.seconds * 1000.0 + 0.5))},
        {"mode", plugin::to_string(request.mode)}};
    // The upload as the audit log records it: who sent it from where, its size and digest.
    if (!request.account.empty()) fields["account"] = request.account;
    if (!request.peer.empty()) fields["peer"] = request.peer;
    if (!request.operator_name.empty()) fields["operator"] = request.operator_name;
    if (!request.reason.empty()) fields["why"] = request.reason;  // "reason" is the refusal's
    if (report.record.bytes) fields["bytes"] = std::to_string(report.record.bytes);
    if (!report.record.sha256.empty()) fields["sha256"] = report.record.sha256;
    switch (report.outcome) {
        case UploadOutcome::loaded:
            fields["rows"] = std::to_string(report.record.rows);
            log_.event(LogLevel::info, "load.finished", fields);
            break;
        case UploadOutcome::duplicate:
            log_.event(LogLevel::info, "load.duplicate", fields);
            break;
        case UploadOutcome::refused:
        case UploadOutcome::refused_pii:
            // Error texts may quote cell values: only their count and first position are logged.
            fields["errors"] = std::to_string(report.error_count);
            if (!report.errors.empty()) {
                fields["first_error_line"] = std::to_string(report.errors[0].line);
                fields["first_error_column"] = std::to_string(report.errors[0].column);
                if (!report.errors[0].column_name.empty())
                    fields["first_error_column_name"] = report.errors[0].column_name;
            }
            // A category, not the error text: the audit log and the job history show it.
            fields["reason"] =
                report.outcome == UploadOutcome::refused_pii
                    ? "personal data"
                    : std::to_string(report.error_count) +
                          (report.error_count == 1 ? " format error" : " format errors");
            if (report.outcome == UploadOutcome::refused_pii) fields["kept"] = "no";
            log_.event(LogLevel::warn, "load.refused", fields);
            break;
        case UploadOutcome::retry:
            fields["reason"] = report.message;
            log_.event(LogLevel::error, "load.failed", fields);
            break;
    }
    return report;
}

void Pipeline::write_unwritten_cancels(const std::string& tenant) {
    std::vector<std::string> entries;
    {
        std::lock_guard<std::mutex> lock(unwritten_guard_);
        auto it = unwritten_cancels_.find(tenant);
        if (it == unwritten_cancels_.end()) return;
        entries = it->second;
    }
    size_t written = 0;
    std::string failure;
    for (; written < entries.size(); ++written) {
        try {
            archive_.append_history(tenant, entries[written]);
        } catch (const std::exception& e) {
            failure = e.what();
            break;
        }
    }
    {
        std::lock_guard<std::mutex> lock(unwritten_guard_);
        auto& left = unwritten_cancels_[tenant];
        left.erase(left.begin(), left.begin() + static_cast<std::ptrdiff_t>(written));
        if (left.empty()) unwritten_cancels_.erase(tenant);
    }
    // Another entry first would make the failed attempt's entry count in a restore.
    if (!failure.empty())
        throw plugin::Error(
            "the archive cannot yet record that an earlier attempt was cancelled: " + failure,
            true);
}

LoadReport Pipeline::run(const LoadRequest& request, const TenantProfile& tenant,
                         const ProgressFunction& progress, int64_t& attempt_at_us,
                         int64_t earlier_attempt_us) {
    LoadReport report;
    plugin::FileRecord& record = report.record;
    record.name = request.name;
    record.kind = file_kind_from_name(request.name);
    // Each catalog replaces the whole catalog, so it is recorded as a full load.
    record.mode = record.kind == FileKind::catalog ? LoadMode::full : request.mode;

    FileHandle file;
    // An upload's path is never followed through a symbolic link a tenant might have swapped in.
    file.fd = ::open(request.path.c_str(),
                     O_RDONLY | O_CLOEXEC | (request.follow_symlinks ? 0 : O_NOFOLLOW));
    struct stat st {};
    if (file.fd < 0 || fstat(file.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        // The path is the server's: the log has it, the tenant's message only the name.
        const std::string why = file.fd < 0 ? strerror(errno) : "not a regular file";
        log_.event(LogLevel::warn, "load.unreadable",
                   {{"tenant", tenant.id},
                    {"file", request.name},
                    {"path", request.path},
                    {"error", why}});
        report.outcome = UploadOutcome::refused;
        report.message = "cannot read " + request.name + ": " + why;
        return report;
    }
    const uint64_t size = static_cast<uint64_t>(st.st_size);

    write_unwritten_cancels(tenant.id);
    std::unique_ptr<plugin::TenantStore> store = target_.open(tenant.id);
    std::unique_ptr<plugin::ObjectWriter> object = archive_.create(tenant.id);
    Sha256 sha;
    uint64_t done = 0, next_progress = progress_step;
    ByteSource source = [&](char* buffer, size_t wanted) -> size_t {
        ssize_t n;
        do {
            n = ::read(file.fd, buffer, wanted);
        } while (n < 0 && errno == EINTR);
        if (n < 0) throw plugin::Error("cannot read " + request.path + ": " + strerror(errno));
        const auto got = static_cast<size_t>(n);
        sha.update(buffer, got);
        object->write(buffer, got);
        done += got;
        if (progress && done >= next_progress) {
            progress(done, size);
            next_progress = done + progress_step;
        }
        return got;
    };

    ParsedFile parsed = parse_into(*store, tenant, record.kind, record.mode, source);
    std::unique_ptr<plugin::LoadTransaction>& transaction = parsed.transaction;
    const uint64_t rows = parsed.rows;
    const bool personal_data = parsed.personal_data;
    // Personal data stops the read early; the bytes are never kept, so the rest is not needed.
    if (progress) progress(done, size);
    report.error_count = parsed.error_count;
    report.errors = std::move(parsed.errors);
    record.bytes = done;
    record.at_us = attempt_at_us = clock_us_();
    const std::string entry_id = new_history_id(record.at_us);
    auto add_error = [&](FormatError e) {
        ++report.error_count;
        if (report.errors.size() < max_reported_errors) report.errors.push_back(std::move(e));
    };

    if (personal_data) {
        transaction.reset();
        object.reset();  // discards what the archive received
        report.outcome = UploadOutcome::refused_pii;
        report.message =
            request.name + " refused by the personal-data guard and not kept: " +
            (report.errors.empty() ? std::string("personal data") : report.errors[0].reason);
        return report;
    }
    record.sha256 = sha.hex();

    if (report.error_count == 0 && record.kind == FileKind::sales &&
        record.mode == LoadMode::full && rows == 0 && !request.force_empty_full) {
        add_error({0, 0, "",
                   "a full upload without records would remove all of the tenant's data; "
                   "refused (force it to allow this)",
                   false});
        transaction.reset();
    }
    if (report.error_count == 0 && record.kind == FileKind::sales &&
        record.mode == LoadMode::incremental) {
        // Another store: the one holding the open load may not be used until it ends.
        if (auto previous = target_.open(tenant.id)->find_loaded(record.sha256)) {
            transaction.reset();
            if (earlier_attempt_us && previous->at_us == earlier_attempt_us &&
                previous->name == record.name) {
                // The earlier attempt's commit landed before its connection dropped, after its
                // history entry was cancelled: enter it again so a restore replays it.
                archive_.append_history(
                    tenant.id,
                    file_entry_json(tenant.id, new_history_id(previous->at_us), *previous));
                report.record = *previous;
                report.outcome = UploadOutcome::loaded;
                report.message = "loaded " + std::to_string(previous->rows) +
                                 (previous->rows == 1 ? " line" : " lines") + " from " +
                                 request.name + " (the previous attempt had landed)";
                return report;
            }
            object->commit(record.sha256);
            record.result = FileResult::duplicate;
            record.detail = "same bytes as '" + previous->name + "' loaded at " +
                            format_timestamp(previous->at_us);
            archive_.append_history(tenant.id, file_entry_json(tenant.id, entry_id, record));
            store->record(record);
            report.outcome = UploadOutcome::duplicate;
            report.message =
                request.name + " is a duplicate: " + record.detail + "; not loaded again";
            return report;
        }
    }
    if (report.error_count > 0) {
        transaction.reset();
        object->commit(record.sha256);
        record.result = FileResult::refused;
        record.detail = summarize(request.name, report.errors, report.error_count);
        archive_.append_history(tenant.id, file_entry_json(tenant.id, entry_id, record));
        store->record(record);
        report.outcome = UploadOutcome::refused;
        report.message = request.name + " refused with " + std::to_string(report.error_count) +
                         (report.error_count == 1 ? " error" : " errors") + "; nothing was loaded";
        return report;
    }
    // Archive first: a crash after this point leaves the file pending and the archive holding
    // bytes that a later run stores again as a no-op.
    object->commit(record.sha256);
    record.result = FileResult::loaded;
    record.rows = rows;
    archive_.append_history(tenant.id, file_entry_json(tenant.id, entry_id, record));
    try {
        transaction->commit(record);
    } catch (const std::exception& e) {
        // The history says loaded; say it did not happen, so a restore does not replay it. (A
        // crash right here leaves the entry standing: the file stays pending and its retry is
        // a duplicate the restore skips, or, for a full upload, the same replacement again.)
        const std::string cancel = cancelled_entry_json(tenant.id, entry_id, clock_us_(), e.what());
        try {
            archive_.append_history(tenant.id, cancel);
        } catch (const std::exception& unwritten) {
            // The archive's disk is full too: the entry goes in before the tenant's next one
            // (the retry's). A restore skips the attempt by its id wherever the entry lands.
            {
                std::lock_guard<std::mutex> lock(unwritten_guard_);
                unwritten_cancels_[tenant.id].push_back(cancel);
            }
            log_.event(LogLevel::error, "load.cancel_unwritten",
                       {{"tenant", tenant.id},
                        {"file", request.name},
                        {"entry", entry_id},
                        {"reason", unwritten.what()}});
        }
        throw;
    }
    report.outcome = UploadOutcome::loaded;
    if (record.kind == FileKind::sales && record.mode == LoadMode::full && after_removal_)
        after_removal_(tenant.id);
    report.message = "loaded " + std::to_string(rows) + (rows == 1 ? " line" : " lines") +
                     " from " + request.name +
                     (record.mode == LoadMode::full ? " (full upload: replaced all lines)" : "");
    if (record.kind == FileKind::catalog)
        report.message =
            "loaded catalog " + request.name + " with " + std::to_string(rows) + " items";
    return report;
}

}  // namespace sightline::core
