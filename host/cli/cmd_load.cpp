// sightline load --profile P --tenant T [--full --reason TEXT] [--force] [--json] FILE...
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "operator_name.hpp"
#include "runtime_open.hpp"

namespace sightline::cli {

namespace {

using plugin::UploadOutcome;

int exit_code_of(UploadOutcome outcome) {
    switch (outcome) {
        case UploadOutcome::loaded:
        case UploadOutcome::duplicate:
            return ok;
        case UploadOutcome::refused:
        case UploadOutcome::refused_pii:
            return refused;
        case UploadOutcome::retry:
            return internal;
    }
    return internal;
}

nlohmann::json report_json(const std::string& path, const core::LoadReport& r) {
    nlohmann::json j = {{"file", path},
                        {"result", plugin::to_string(r.outcome)},
                        {"message", r.message},
                        {"rows", r.record.rows},
                        {"bytes", r.record.bytes},
                        {"seconds", r.seconds},
                        {"error_count", r.error_count},
                        {"errors", nlohmann::json::array()}};
    if (!r.record.sha256.empty()) j["sha256"] = r.record.sha256;
    for (const auto& e : r.errors)
        j["errors"].push_back({{"line", e.line},
                               {"column", e.column},
                               {"column_name", e.column_name},
                               {"reason", e.reason},
                               {"personal_data", e.personal_data}});
    return j;
}

}  // namespace

int run_load(const std::vector<std::string>& args) {
    po::options_description options("Options");
    add_profile_options(options);
    add_json_option(options);
    options.add_options()("tenant,t", po::value<std::string>()->required(), "the tenant id")(
        "full", "full upload: replace all of the tenant's sales lines with these files' lines")(
        "force", "allow a full upload without records (it removes all of the tenant's lines)")(
        "progress", "show progress on standard error even when it is not a terminal")(
        "reason", po::value<std::string>(),
        "why (required with --full; kept in the audit log with the operating system's user)")(
        "file", po::value<std::vector<std::string>>()->required(), "files to load, in order");
    po::positional_options_description positional;
    positional.add("file", -1);
    po::variables_map vm;
    if (!parse(args,
               "sightline load --profile P --tenant T [--full --reason TEXT] [--json] FILE...",
               options, positional, vm))
        return ok;
    if (vm.count("full") && !vm.count("reason"))
        throw UsageError("--full replaces all of the tenant's lines: say why with --reason TEXT");
    auto runtime = open_runtime(vm);
    if (!runtime) return refused;
    const bool json = vm.count("json") > 0;
    const bool show_progress = vm.count("progress") || isatty(STDERR_FILENO);
    int worst = ok;
    nlohmann::json out = nlohmann::json::array();
    for (const auto& path : vm["file"].as<std::vector<std::string>>()) {
        core::LoadRequest request;
        request.tenant = vm["tenant"].as<std::string>();
        request.path = path;
        request.mode = vm.count("full") ? plugin::LoadMode::full : plugin::LoadMode::incremental;
        request.force_empty_full = vm.count("force") > 0;
        request.follow_symlinks = true;  // the operator named this path
        request.operator_name = operator_name();
        if (vm.count("reason")) request.reason = vm["reason"].as<std::string>();
        core::ProgressFunction progress;
        if (show_progress)
            progress = [&path](uint64_t done, uint64_t total) {
                const int percent = total ? static_cast<int>(done * 100 / total) : 100;
                std::fprintf(stderr, "\rloading %s: %3d%% (%llu of %llu MiB)", path.c_str(),
                             percent, static_cast<unsigned long long>(done >> 20),
                             static_cast<unsigned long long>(total >> 20));
                if (done >= total) std::fputc('\n', stderr);
            };
        const core::LoadReport report = runtime->pipeline().process(request, progress);
        worst = std::max(worst, exit_code_of(report.outcome));
        if (json) {
            out.push_back(report_json(path, report));
            continue;
        }
        std::ostream& stream =
            report.outcome == UploadOutcome::loaded || report.outcome == UploadOutcome::duplicate
                ? std::cout
                : std::cerr;
        stream << path << ": " << report.message << "\n";
        for (const auto& e : report.errors)
            stream << "  " << core::Pipeline::describe(path, e) << "\n";
        if (report.error_count > report.errors.size())
            stream << "  ... and " << report.error_count - report.errors.size() << " more errors\n";
    }
    if (json) std::cout << out.dump(2) << "\n";
    return worst;
}

}  // namespace sightline::cli
