// Complete uploads waiting for the host's pipeline, and the worker that submits them: in
// arrival order per tenant, retried with backoff while the pipeline answers `retry`, removed and
// noted in status/ once processed. Each landing file is submitted by one thread at a time and
// never again after a final outcome.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "config.hpp"
#include "landing.hpp"
#include "sightline/plugin/transport.hpp"

namespace sightline::intake_ftps {

// Delay after `failures` consecutive retries: first_us doubling, at most 300 s.
int64_t retry_delay_us(int64_t first_us, int failures);

struct Pending {
    plugin::Upload upload;  // path is the landing file
    int failures = 0;
    int64_t next_attempt_us = 0;
    bool busy = false;
};

class UploadQueue {
public:
    UploadQueue(const Config& config, const Landing& landing, plugin::HostServices& host)
        : config_(config), landing_(landing), host_(host) {}
    ~UploadQueue() { stop(); }

    // claimed: the caller submits it itself right away with submit_claimed() (await_result).
    void add(plugin::Upload upload, bool claimed = false);
    // Queues complete files found in the tenants' folders that are not queued yet (left from
    // before a restart), oldest first.
    void scan(const std::vector<std::string>& tenants);

    void start(plugin::UploadSink& sink);
    void stop();  // returns once an in-flight submit() has returned
    // Submits everything queued once, synchronously, in order per tenant.
    void drain(plugin::UploadSink& sink);
    // Submits an upload added as claimed, in the caller's thread. On retry it stays queued for
    // the worker.
    plugin::UploadResult submit_claimed(const plugin::Upload& upload, plugin::UploadSink& sink) {
        return process(upload, sink);
    }

    // Drops a queued upload (deleted by the tenant or by the sweep). False when it is being
    // submitted right now.
    bool forget(const std::string& path);
    bool queued(const std::string& path);
    // The SHA-256 of a landing file this queue processed lately ("" when unknown): HASH asked
    // after the file was processed and removed.
    std::string digest_of(const std::string& path);
    size_t size();
    // A reload: the first retry delay from now on (uploads already waiting keep their time).
    void set_retry_interval_seconds(int64_t seconds) { retry_interval_override_ = seconds; }

private:
    int64_t retry_interval_seconds() const {
        const int64_t set = retry_interval_override_.load();
        return set > 0 ? set : config_.retry_interval_seconds;
    }
    // Claims the next due item per tenant (all items when ignore_backoff); empty when none.
    std::vector<plugin::Upload> claim_due(bool ignore_backoff);
    plugin::UploadResult process(const plugin::Upload& upload, plugin::UploadSink& sink);
    void worker(plugin::UploadSink& sink);

    const Config& config_;  // as created: the landing never changes without a restart
    const Landing& landing_;
    plugin::HostServices& host_;
    std::atomic<int64_t> retry_interval_override_{0};  // 0: config_'s

    std::mutex mutex_;
    std::condition_variable wake_;
    std::list<Pending> items_;                    // arrival order
    std::map<std::string, std::string> digests_;  // landing path -> SHA-256, the latest ones
    std::list<std::string> digest_order_;         // oldest first, bounded
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace sightline::intake_ftps
