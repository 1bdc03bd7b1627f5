#include "upload_queue.hpp"

#include "fd.hpp"
#include "session_util.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <map>
#include <set>
#include <tuple>

#include "status_note.hpp"

namespace sightline::intake_ftps {

namespace {
constexpr size_t kRememberedDigests = 4096;
}  // namespace

using plugin::LogLevel;
using plugin::UploadOutcome;
using plugin::UploadResult;

int64_t retry_delay_us(int64_t first_us, int failures) {
    constexpr int64_t cap_us = 300'000'000;
    int64_t delay = first_us;
    for (int i = 1; i < failures && delay < cap_us; ++i) delay *= 2;
    return std::min(delay, cap_us);
}

void UploadQueue::add(plugin::Upload upload, bool claimed) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const auto& item : items_) {
            if (item.upload.path == upload.path) return;
        }
        Pending pending;
        pending.upload = std::move(upload);
        pending.busy = claimed;
        items_.push_back(std::move(pending));
    }
    wake_.notify_all();
}

void UploadQueue::scan(const std::vector<std::string>& tenants) {
    struct Found {
        int64_t mtime;
        std::string name;
        bool full;
        std::string tenant;
    };
    std::vector<Found> found;
    for (const auto& tenant : tenants) {
        for (Sub sub : {Sub::root, Sub::full}) {
            Fd dir = landing_.open_dir(tenant, sub);
            if (!dir.valid()) continue;
            for (const auto& entry : Landing::list(dir.get())) {
                if (entry.dir) continue;
                found.push_back({entry.mtime_s, entry.name, sub == Sub::full, tenant});
            }
        }
    }
    std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
        return std::tie(a.mtime, a.name, a.full) < std::tie(b.mtime, b.name, b.full);
    });
    for (const auto& f : found) {
        plugin::Upload upload;
        upload.tenant = f.tenant;
        upload.name = f.name;
        upload.full = f.full;
        upload.path = landing_.path(f.tenant, f.full ? Sub::full : Sub::root, f.name);
        add(std::move(upload));
    }
}

void UploadQueue::start(plugin::UploadSink& sink) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this, &sink] { worker(sink); });
}

void UploadQueue::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void UploadQueue::worker(plugin::UploadSink& sink) {
    for (;;) {
        for (const auto& upload : claim_due(false)) {
            {
                std::lock_guard<std::mutex> lock(mutex_);
                if (stopping_) {
                    // Unclaim the rest; they stay for the next start or drain.
                    for (auto& item : items_) {
                        if (item.upload.path == upload.path) item.busy = false;
                    }
                    continue;
                }
            }
            process(upload, sink);
        }
        std::unique_lock<std::mutex> lock(mutex_);
        if (stopping_) return;
        // Backoffs are measured on the host's clock, which tests move: poll it once a second
        // rather than sleeping until a computed instant.
        wake_.wait_for(lock, std::chrono::seconds(1));
        if (stopping_) return;
    }
}

std::vector<plugin::Upload> UploadQueue::claim_due(bool ignore_backoff) {
    const int64_t now = host_.now_us();
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<plugin::Upload> out;
    std::set<std::string> blocked;  // tenants whose oldest upload is waiting or busy
    for (auto& item : items_) {
        const std::string& tenant = item.upload.tenant;
        if (blocked.count(tenant)) continue;
        if (item.busy || (!ignore_backoff && item.next_attempt_us > now)) {
            blocked.insert(tenant);
            continue;
        }
        item.busy = true;
        out.push_back(item.upload);
        // One per tenant per round keeps each tenant's uploads in order: the next one waits
        // until this one is no longer to be retried.
        blocked.insert(tenant);
    }
    return out;
}

void UploadQueue::drain(plugin::UploadSink& sink) {
    // Rounds of one item per tenant until nothing more is due; a tenant whose upload is
    // answered `retry` keeps its later uploads queued, in order.
    std::set<std::string> done;
    for (;;) {
        auto batch = claim_due(true);
        bool any = false;
        for (const auto& upload : batch) {
            if (done.count(upload.path)) {
                std::lock_guard<std::mutex> lock(mutex_);
                for (auto& item : items_) {
                    if (item.upload.path == upload.path) item.busy = false;
                }
                continue;
            }
            done.insert(upload.path);
            any = true;
            process(upload, sink);
        }
        if (!any) return;
    }
}

std::string UploadQueue::digest_of(const std::string& path) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = digests_.find(path);
    return it == digests_.end() ? "" : it->second;
}

UploadResult UploadQueue::process(const plugin::Upload& upload, plugin::UploadSink& sink) {
    plugin::LogFields fields{{"tenant", upload.tenant},
                             {"file", upload.name},
                             {"full", upload.full ? "true" : "false"},
                             {"account", upload.account},
                             {"peer", upload.peer}};
    UploadResult result;
    if (::access(upload.path.c_str(), F_OK) != 0) {
        // Deleted by its uploader or by the sweep while queued: nothing to submit.
        std::lock_guard<std::mutex> lock(mutex_);
        items_.remove_if([&](const Pending& p) { return p.upload.path == upload.path; });
        result.outcome = UploadOutcome::retry;
        result.message = "the upload is gone";
        return result;
    }
    {
        // The digest of what is stored, for HASH after the file is gone (the relay asks then).
        std::string digest;
        int64_t bytes = 0;
        const auto slash = upload.path.rfind('/');
        Fd dir(::open(upload.path.substr(0, slash).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (dir.valid() && file_sha256(dir.get(), upload.path.substr(slash + 1), digest, bytes)) {
            std::lock_guard<std::mutex> lock(mutex_);
            if (digests_.emplace(upload.path, digest).second)
                digest_order_.push_back(upload.path);
            else
                digests_[upload.path] = digest;
            while (digest_order_.size() > kRememberedDigests) {
                digests_.erase(digest_order_.front());
                digest_order_.pop_front();
            }
        }
    }
    try {
        result = sink.submit(upload);
    } catch (const std::exception& e) {
        // The exception's text is for the log only: a status note never carries it.
        result.outcome = UploadOutcome::retry;
        result.message = "the server could not process the upload; it tries again";
        fields["error"] = one_line(e.what());
    } catch (...) {
        result.outcome = UploadOutcome::retry;
        result.message = "the server could not process the upload; it tries again";
        fields["error"] = "unknown exception";
    }
    const std::string outcome = plugin::to_string(result.outcome);
    fields["outcome"] = outcome;
    if (result.outcome == UploadOutcome::retry) {
        int failures = 0;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            for (auto& item : items_) {
                if (item.upload.path != upload.path) continue;
                item.busy = false;
                failures = ++item.failures;
                item.next_attempt_us =
                    host_.now_us() + retry_delay_us(retry_interval_seconds() * 1'000'000, failures);
            }
        }
        wake_.notify_all();
        fields["retries"] = std::to_string(failures);
        fields["message"] = one_line(result.message);
        host_.log(LogLevel::warn, "intake_ftps.retry", fields);
        return result;
    }
    if (::unlink(upload.path.c_str()) != 0 && errno != ENOENT) {
        fields["error"] = std::strerror(errno);
        host_.log(LogLevel::error, "intake_ftps.remove_failed", fields);
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        items_.remove_if([&](const Pending& p) { return p.upload.path == upload.path; });
    }
    wake_.notify_all();
    const std::string note =
        write_note(landing_, upload.tenant, host_.now_us(), upload.name, outcome, result.message);
    if (note.empty()) fields["note_error"] = std::strerror(errno);
    fields["queue_depth"] = std::to_string(size());  // the host's metrics gauge
    host_.log(LogLevel::info, "intake_ftps.processed", fields);
    return result;
}

bool UploadQueue::forget(const std::string& path) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = items_.begin(); it != items_.end(); ++it) {
        if (it->upload.path != path) continue;
        if (it->busy) return false;
        items_.erase(it);
        return true;
    }
    return true;
}

bool UploadQueue::queued(const std::string& path) {
    std::lock_guard<std::mutex> lock(mutex_);
    return std::any_of(items_.begin(), items_.end(),
                       [&](const Pending& p) { return p.upload.path == path; });
}

size_t UploadQueue::size() {
    std::lock_guard<std::mutex> lock(mutex_);
    return items_.size();
}

}  // namespace sightline::intake_ftps
