// The job history: every load, deletion, restore, segment evaluation and change, report and
// backup, with its outcome, in a small SQLite database of the host (<state_dir>/jobs.sqlite).
// The console and `sightline jobs` read it; every process running the profile writes it.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sightline/core/event_log.hpp"

struct sqlite3;

namespace sightline::core {

struct Job {
    int64_t id = 0;
    std::string kind;  // load, deletion, restore, segment_evaluation, segment_change, report,
                       // backup
    std::string tenant;
    std::string status;  // running | ok | refused | failed | duplicate
    int64_t started_us = 0;
    int64_t finished_us = 0;  // 0 while running
    uint64_t rows = 0;
    uint64_t bytes = 0;
    // What the job was about: the file name for loads, the segment id for segment jobs, the
    // report for reports, the destination section for restores, the backup's name.
    std::string file;
    std::string detail;  // the outcome in words; a refusal's reason (never cell values)
    std::string operator_name;
    std::string plugin;  // the evaluator, or the plugin that logged the event
    int64_t count = -1;  // the segment's size for evaluations; -1 none
    std::string ref;     // the job id its events carry ("job"), quoted in tenants' status notes
};

struct JobQuery {
    std::string tenant;        // "" = every tenant
    bool failed_only = false;  // refused and failed only
    int64_t since_us = 0;      // started at or after
    std::string kind;          // "" = every kind
    std::string ref;           // "" = any; else only the job with this id (Job::ref)
    int limit = 100;
};

struct SegmentSize {
    int64_t at_us = 0;
    int64_t customers = 0;
};

class JobHistory : public EventSink {
public:
    // Opens (creating when missing) the database. Throws std::runtime_error.
    explicit JobHistory(const std::string& path);
    ~JobHistory() override;
    JobHistory(const JobHistory&) = delete;
    JobHistory& operator=(const JobHistory&) = delete;

    // <state_dir>/jobs.sqlite
    static std::string path_in(const std::string& state_dir);

    void on_event(int64_t at_us, plugin::LogLevel level, std::string_view name,
                  const plugin::LogFields& fields) override;

    int64_t insert(const Job& job);  // returns the new id
    // Finishes the newest running job of this kind, tenant and file with job's outcome, or
    // inserts job as a finished one when none runs (a start logged by a process that died).
    void finish(const Job& job);
    std::vector<Job> list(const JobQuery& query) const;
    // The segment's sizes as evaluated (uncached evaluations), oldest first.
    std::vector<SegmentSize> segment_sizes(const std::string& tenant, const std::string& segment,
                                           int64_t since_us) const;

private:
    void exec(const char* sql) const;
    void add_ref_column();
    mutable std::mutex mutex_;
    sqlite3* db_ = nullptr;
};

// A job as the CLI (`sightline jobs --json`) and the console show it: times as RFC 3339 text and
// in microseconds; finished and count are null while unknown.
nlohmann::json job_json(const Job& job);

}  // namespace sightline::core
