// The intake-dir transport: polls per-tenant landing folders and hands complete files to the
// host's upload sink, oldest first, removing each one once the sink is done with it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "config.hpp"
#include "file_ledger.hpp"
#include "landing_scan.hpp"
#include "sightline/plugin/transport.hpp"

namespace sightline::intake_dir {

class IntakeDir final : public plugin::Transport {
public:
    IntakeDir(Config config, plugin::HostServices& host);
    ~IntakeDir() override;

    void start(plugin::UploadSink& sink) override;
    void stop() override;
    void drain(plugin::UploadSink& sink) override;

private:
    void poll_loop(plugin::UploadSink& sink);
    void create_folders();
    // One pass over all tenants. cancel (may be null) is checked between files. Throws
    // plugin::Error when the root cannot be opened; other problems are logged.
    void run_pass(plugin::UploadSink& sink, const std::atomic<bool>* cancel);
    void scan_tenant(int root_fd, const std::string& tenant, plugin::UploadSink& sink,
                     const std::atomic<bool>* cancel);
    // Submits one file and disposes of it. Returns false when the tenant's later files must
    // wait (this one is to be retried), to keep the tenant's uploads in order.
    bool process(const std::string& tenant, const LandingEntry& file, FileLedger& ledger,
                 plugin::UploadSink& sink);
    void remove_processed(const std::string& tenant, const LandingEntry& file,
                          plugin::UploadOutcome outcome, FileLedger& ledger);
    void report_skipped(const std::string& tenant, const Listing& listing, FileLedger& ledger);
    void folder_missing(const std::string& path, int error);
    void log(plugin::LogLevel level, const char* event, const plugin::LogFields& fields);

    const Config config_;
    plugin::HostServices& host_;

    // One pass at a time (drain() may run while the poller does); guards everything below it.
    std::mutex pass_mutex_;
    std::map<std::string, FileLedger> ledgers_;  // by tenant
    std::set<std::string> missing_folders_;      // reported once until they appear
    std::set<std::string> bad_tenants_;          // reported once

    std::mutex lifecycle_mutex_;  // serialises start() and stop()
    std::thread poller_;
    std::mutex wake_mutex_;
    std::condition_variable wake_;
    std::atomic<bool> stop_requested_{false};
    std::string last_pass_error_;  // poller thread only: repeats are not logged
};

}  // namespace sightline::intake_dir
