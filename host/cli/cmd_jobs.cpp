// sightline jobs --profile P [--tenant T] [--failed] [--kind K] [--job ID] [--since TS]
//                [--limit N] [--json]
// Reads the job history only: no plugin is loaded, so it works while `serve` runs and on a
// host whose database is down.
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "sightline/core/job_history.hpp"
#include "sightline/core/profile.hpp"
#include "sightline/core/timestamp.hpp"

namespace sightline::cli {

namespace {

std::string cell(std::string text, size_t width) {
    for (char& c : text)
        if (c == '\n' || c == '\t') c = ' ';
    if (text.size() > width) text = text.substr(0, width - 1) + "~";
    return text;
}

void print_table(const std::vector<core::Job>& jobs) {
    std::cout << std::left << std::setw(7) << "ID" << std::setw(22) << "STARTED" << std::setw(19)
              << "KIND" << std::setw(14) << "TENANT" << std::setw(10) << "STATUS" << std::setw(26)
              << "FILE/SUBJECT" << std::setw(10) << "ROWS"
              << "DETAIL\n";
    for (const auto& j : jobs) {
        const std::string started = core::format_timestamp(j.started_us / 1'000'000 * 1'000'000);
        const std::string rows =
            j.count >= 0 ? std::to_string(j.count) : (j.rows ? std::to_string(j.rows) : "-");
        std::cout << std::setw(7) << j.id << std::setw(22) << started << std::setw(19) << j.kind
                  << std::setw(14) << cell(j.tenant, 13) << std::setw(10) << j.status
                  << std::setw(26) << cell(j.file.empty() ? "-" : j.file, 25) << std::setw(10)
                  << rows << cell(j.detail, 120) << "\n";
    }
}

}  // namespace

int run_jobs(const std::vector<std::string>& args) {
    po::options_description options("Options");
    options.add_options()("profile,p", po::value<std::string>()->required(),
                          "the deployment profile (YAML)")("tenant,t", po::value<std::string>(),
                                                           "only this tenant's jobs")(
        "failed", "only refused and failed jobs")(
        "kind", po::value<std::string>(),
        "only jobs of this kind: load, deletion, restore, segment_evaluation, segment_change, "
        "report, backup")("job", po::value<std::string>(),
                          "only the job with this id (a tenant's status note quotes it)")(
        "since", po::value<std::string>(),
        "only jobs started at or after this time (2026-11-01, or RFC 3339)")(
        "limit", po::value<int>()->default_value(100), "at most this many, newest first");
    add_json_option(options);
    po::variables_map vm;
    if (!parse(args,
               "sightline jobs --profile P [--tenant T] [--failed] [--kind K] [--job ID] "
               "[--since TS] [--limit N] [--json]",
               options, {}, vm))
        return ok;

    core::JobQuery query;
    if (vm.count("tenant")) query.tenant = vm["tenant"].as<std::string>();
    if (vm.count("kind")) query.kind = vm["kind"].as<std::string>();
    if (vm.count("job")) query.ref = vm["job"].as<std::string>();
    query.failed_only = vm.count("failed") > 0;
    query.limit = vm["limit"].as<int>();
    if (query.limit < 1) throw UsageError("--limit must be at least 1");
    if (vm.count("since")) {
        std::string reason;
        const auto since = core::parse_timestamp(vm["since"].as<std::string>(), reason);
        if (!since) throw UsageError("--since: " + reason);
        query.since_us = *since;
    }

    std::vector<core::ProfileError> errors;
    const core::Profile profile = core::load_profile(vm["profile"].as<std::string>(), errors);
    if (!errors.empty()) {
        for (const auto& e : errors) std::cerr << "sightline: " << e.to_string() << "\n";
        return refused;
    }
    std::vector<core::Job> jobs;
    const std::string path = core::JobHistory::path_in(profile.state_dir);
    // No database yet means no job yet: nothing is created by reading.
    if (std::filesystem::exists(path)) jobs = core::JobHistory(path).list(query);

    if (vm.count("json")) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& j : jobs) out.push_back(core::job_json(j));
        std::cout << out.dump(2) << "\n";
    } else {
        print_table(jobs);
    }
    return ok;
}

}  // namespace sightline::cli
