// The load pipeline, one place for every intake: stream a file -> CSV -> typed values ->
// personal-data guard -> the tenant's target in one transaction -> the tenant's history.
// The original bytes go to the archive as they stream by; they are kept for every file that
// passes the guard and discarded for one that does not.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sightline/core/event_log.hpp"
#include "sightline/core/file_format.hpp"
#include "sightline/core/file_loader.hpp"
#include "sightline/core/profile.hpp"
#include "sightline/plugin/archive.hpp"
#include "sightline/plugin/target.hpp"
#include "sightline/plugin/transport.hpp"

namespace sightline::core {

struct LoadRequest {
    std::string tenant;
    std::string path;  // local file to read
    std::string name;  // file name as uploaded; defaults to the path's file name
    plugin::LoadMode mode = plugin::LoadMode::incremental;
    bool force_empty_full = false;  // allow a full upload without records (wipes the tenant)
    bool follow_symlinks = false;   // uploads never; an operator's own command line may
    std::string account, peer;      // for the log
    // A person's command (sightline load): who and why, in the audit log. A full upload from the
    // CLI requires both; uploads through an intake name their account instead.
    std::string operator_name, reason;
    // The file stays where it is after a failed load and is tried again (a transport keeps
    // every upload whose outcome is retry): the message and the job history say so.
    bool kept_for_retry = false;
};

struct LoadReport {
    plugin::UploadOutcome outcome = plugin::UploadOutcome::retry;
    plugin::FileRecord record;
    std::vector<FormatError> errors;  // the first max_reported_errors
    uint64_t error_count = 0;         // all of them
    std::string message;              // one-line summary
    double seconds = 0;
    // Names this load in the log ("job" field) and the job history (ref): a tenant's status
    // note quotes it instead of the detail, which may name servers, users and paths.
    std::string job;
};

// Called now and then during a load: bytes read so far, file size.
using ProgressFunction = std::function<void(uint64_t done, uint64_t total)>;

// A load that fails for a passing reason (the database restarted, the connection dropped) is
// tried again after a pause that doubles each time.
struct RetryPolicy {
    int attempts = 4;                    // in all, the first one included
    int64_t first_pause_us = 1'000'000;  // then 2 s, 4 s, ...
};
using Sleeper = std::function<void(int64_t micros)>;

class Pipeline : public plugin::UploadSink {
public:
    Pipeline(plugin::Archive& archive, plugin::Target& target, std::vector<TenantProfile> tenants,
             EventLog& log, std::function<int64_t()> clock_us);

    // Never throws for bad input; a failure of the archive or target gives outcome retry.
    LoadReport process(const LoadRequest& request, const ProgressFunction& progress = {});

    plugin::UploadResult submit(const plugin::Upload& upload) override;

    // A reload (SIGHUP): later uploads see the new tenants; loads in progress keep theirs.
    void set_tenants(std::vector<TenantProfile> tenants);

    // Called (tenant id) after a full upload of sales lines committed: the runtime tells the
    // evaluators, so that none keeps the replaced lines on disk.
    void set_after_removal(std::function<void(const std::string& tenant)> fn);

    // Tests shorten the pauses or count them instead of sleeping.
    void set_retry(RetryPolicy policy, Sleeper sleeper);

    // Serialises every change to one tenant's data made through this process (loads, deletions,
    // restores): hold it while changing the tenant.
    std::mutex& tenant_mutex(const std::string& tenant);

    // "file:line:column (name): reason" for one error.
    static std::string describe(const std::string& file, const FormatError& e);

private:
    // earlier_attempt_us: when the previous, failed attempt of this same request was decided
    // (0 on the first): if that attempt's commit did land, this one reports it as loaded.
    LoadReport run(const LoadRequest& request, const TenantProfile& tenant,
                   const ProgressFunction& progress, int64_t& attempt_at_us,
                   int64_t earlier_attempt_us);

    // Appends the "cancelled" entries the archive could not take when their attempts failed
    // (its disk full, say) before anything else goes into the tenant's history; throws a
    // transient Error while it still cannot. Called with the tenant's mutex held.
    void write_unwritten_cancels(const std::string& tenant);

    plugin::Archive& archive_;
    plugin::Target& target_;
    std::mutex unwritten_guard_;
    std::map<std::string, std::vector<std::string>> unwritten_cancels_;  // tenant -> entries
    std::shared_ptr<const std::vector<TenantProfile>> tenants() const;
    mutable std::mutex tenants_guard_;
    std::shared_ptr<const std::vector<TenantProfile>> tenants_;
    EventLog& log_;
    std::function<int64_t()> clock_us_;
    RetryPolicy retry_;
    Sleeper sleep_;
    std::function<void(const std::string&)> after_removal_;
    std::mutex mutexes_guard_;
    std::map<std::string, std::unique_ptr<std::mutex>> tenant_mutexes_;
};

}  // namespace sightline::core
