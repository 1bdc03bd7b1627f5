// sightline restore --profile P --tenant T [--into SECTION] [--replace] --reason TEXT
//                   [--progress] [--json]
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "operator_name.hpp"
#include "runtime_open.hpp"
#include "sightline/core/lifecycle.hpp"

namespace sightline::cli {

int run_restore(const std::vector<std::string>& args) {
    po::options_description options("Options");
    add_profile_options(options);
    add_json_option(options);
    options.add_options()("tenant,t", po::value<std::string>()->required(), "the tenant id")(
        "into", po::value<std::string>()->default_value(""),
        "a section of the profile's targets: to restore into (default: the profile's target)")(
        "replace",
        "replace the destination's data of the tenant (otherwise it must be empty): built beside "
        "it and swapped in at the end, so a restore stopped part-way changes nothing (targets of "
        "plugin API 1.6; an older target is dropped first)")(
        "progress", "show progress on standard error even when it is not a terminal")(
        "reason", po::value<std::string>()->required(), "why (kept in the audit log)");
    po::variables_map vm;
    if (!parse(
            args,
            "sightline restore --profile P --tenant T [--into SECTION] [--replace] --reason TEXT "
            "[--json]",
            options, {}, vm))
        return ok;
    auto runtime = open_runtime(vm);
    if (!runtime) return refused;

    core::RestoreOptions restore{vm["tenant"].as<std::string>(), vm["into"].as<std::string>(),
                                 vm.count("replace") > 0, operator_name(),
                                 vm["reason"].as<std::string>()};
    std::function<void(const core::RestoreProgress&)> progress;
    if (vm.count("progress") || isatty(STDERR_FILENO)) {
        progress = [last = -1, phase = std::string()](const core::RestoreProgress& p) mutable {
            const int percent =
                p.total_bytes ? static_cast<int>(p.bytes * 100 / p.total_bytes) : 100;
            if (percent == last && phase == p.phase) return;
            if (!phase.empty() && phase != p.phase) std::fputc('\n', stderr);
            last = percent;
            phase = p.phase;
            std::fprintf(stderr, "\r%s: entry %llu of %llu, %3d%% (%llu of %llu MiB)", p.phase,
                         static_cast<unsigned long long>(p.entry),
                         static_cast<unsigned long long>(p.entries), percent,
                         static_cast<unsigned long long>(p.bytes >> 20),
                         static_cast<unsigned long long>(p.total_bytes >> 20));
        };
    }
    try {
        const core::RestoreReport report = core::restore_tenant(*runtime, restore, progress);
        if (progress) std::fputc('\n', stderr);
        if (vm.count("json")) {
            std::cout << nlohmann::json({{"tenant", restore.tenant},
                                         {"files", report.files},
                                         {"rows", report.rows},
                                         {"deletions", report.deletions},
                                         {"skipped", report.skipped},
                                         {"bytes", report.bytes},
                                         {"segment_definitions", report.definitions},
                                         {"warnings", report.warnings},
                                         {"replaced_by", report.replaced_by},
                                         {"swap_seconds", report.swap_seconds},
                                         {"seconds", report.seconds}})
                             .dump(2)
                      << "\n";
        } else {
            std::cout << report.message << " in " << report.seconds << " s\n";
        }
        for (const auto& w : report.warnings)
            std::cerr << "sightline: restore: warning: " << w << "\n";
        return ok;
    } catch (const core::RestoreRefused& e) {
        if (progress) std::fputc('\n', stderr);
        std::cerr << "sightline: restore: " << e.what() << "\n";
        return refused;
    } catch (const plugin::Error& e) {
        if (progress) std::fputc('\n', stderr);
        std::cerr << "sightline: restore: " << e.what() << "\n";
        return internal;
    }
}

}  // namespace sightline::cli
