// sightline serve --profile P [--drain]
// Runs the intakes, the internal and reports listeners and the scheduler until SIGINT or SIGTERM;
// SIGHUP reloads the profile (docs/operations.md).
#include <malloc.h>
#include <signal.h>

#include <atomic>
#include <iostream>
#include <map>
#include <mutex>

#include "runtime_open.hpp"
#include "serve_tasks.hpp"
#include "sightline/core/operators.hpp"
#include "sightline/core/scheduler.hpp"
#include "sightline/core/segment_backup.hpp"
#include "sightline/core/segment_service.hpp"
#include "sightline/ftps/password.hpp"
#include "sightline/http/console.hpp"
#include "sightline/http/health_api.hpp"
#include "sightline/http/report_api.hpp"
#include "sightline/http/segment_api.hpp"
#include "sightline/http/server.hpp"

namespace sightline::cli {

namespace {

// Counts what passes through, for the summary at the end of a drain.
class CountingSink : public plugin::UploadSink {
public:
    explicit CountingSink(plugin::UploadSink& next) : next_(next) {}
    plugin::UploadResult submit(const plugin::Upload& upload) override {
        plugin::UploadResult r = next_.submit(upload);
        std::lock_guard<std::mutex> lock(mutex_);
        ++counts_[plugin::to_string(r.outcome)];
        tenants_[upload.tenant] = true;
        return r;
    }
    std::map<std::string, int> counts() {
        std::lock_guard<std::mutex> lock(mutex_);
        return counts_;
    }
    std::map<std::string, bool> tenants() {
        std::lock_guard<std::mutex> lock(mutex_);
        return tenants_;
    }

private:
    plugin::UploadSink& next_;
    std::mutex mutex_;
    std::map<std::string, int> counts_;
    std::map<std::string, bool> tenants_;
};

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}

// SIGHUP: the profile again, applied where it can be without dropping anything in progress
// (docs/operations.md). A profile with errors changes nothing and says why.
void reload(core::Runtime& runtime, http::Server* api, http::Server* reports,
            core::OperatorRegistry& operators) {
    core::Runtime::ReloadReport report = runtime.reload();
    if (!report.errors.empty() && report.applied.empty()) {
        runtime.log().event(plugin::LogLevel::error, "serve.reload_failed",
                            {{"errors", joined(report.errors)}});
        return;
    }
    const core::Profile& profile = runtime.profile();
    operators.set_accounts(profile.operators);
    report.applied.push_back("operators");
    const auto listener = [&](http::Server* server, const std::optional<core::ApiSettings>& s,
                              const char* name) {
        if (!server || !s) return;
        try {
            for (const auto& what : server->reload(*s))
                report.restart_needed.push_back(std::string(name) + "." + what);
            report.applied.push_back(name);
        } catch (const std::exception& e) {
            report.errors.push_back(std::string(name) + ": " + e.what() +
                                    " (its old settings stay)");
        }
    };
    listener(api, profile.api, "api");
    listener(reports, profile.reports, "reports");
    runtime.log().event(report.errors.empty() ? plugin::LogLevel::info : plugin::LogLevel::error,
                        "serve.reloaded",
                        {{"applied", joined(report.applied)},
                         {"restart_needed", joined(report.restart_needed)},
                         {"errors", joined(report.errors)}});
    if (!report.restart_needed.empty())
        runtime.log().event(plugin::LogLevel::warn, "serve.restart_needed",
                            {{"settings", joined(report.restart_needed)}});
}

}  // namespace

int run_serve(const std::vector<std::string>& args) {
    po::options_description options("Options");
    add_profile_options(options);
    options.add_options()(
        "drain", "process every upload pending now, then stop (instead of serving until a signal)");
    po::variables_map vm;
    if (!parse(args, "sightline serve --profile P [--drain]", options, {}, vm)) return ok;

    // A long-running server must not keep its peak memory: without this, glibc raises its mmap
    // threshold after the first large free, and later large transient buffers (16 MiB per scrypt
    // login check in intake-ftps, big segment results) stay resident in every malloc arena
    // (measured: 340 MiB instead of 53 MiB for 200 concurrent FTPS logins).
    mallopt(M_MMAP_THRESHOLD, 1 << 20);

    // A client that disconnects must end its own connection, never the server: writes to a
    // closed socket fail with EPIPE instead of raising SIGPIPE (plugins guard their own threads
    // as well).
    signal(SIGPIPE, SIG_IGN);

    // Signals are taken by sigwait below: block them before any plugin starts a thread.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    auto runtime = open_runtime(vm);
    if (!runtime) return refused;
    // On an edge host a relay transport (relay-ftps) takes the uploads instead of the local
    // pipeline: the intakes hand their files to it and it forwards them to the load server.
    plugin::UploadSink* relay = nullptr;
    for (auto* t : runtime->transports()) {
        plugin::UploadSink* r = t->relay();
        if (!r) continue;
        if (relay) {
            std::cerr << "sightline: the profile lists more than one relay transport; an upload "
                         "can go to one place only\n";
            return refused;
        }
        relay = r;
    }
    if (runtime->edge() && !relay) {
        std::cerr << "sightline: " << runtime->profile().file
                  << " is an edge profile but lists no relay transport (relay-ftps): its uploads "
                     "would have nowhere to go\n";
        return refused;
    }
    CountingSink sink(relay ? *relay : runtime->pipeline());
    const auto& profile = runtime->profile();
    runtime->log().event(plugin::LogLevel::info, "serve.started",
                         {{"profile", profile.file},
                          {"tenants", std::to_string(profile.tenants.size())},
                          {"transports", std::to_string(runtime->transports().size())},
                          {"uploads_to", relay ? "relay" : "pipeline"},
                          {"mode", vm.count("drain") ? "drain" : "serve"}});
    core::OperatorRegistry operators(profile.state_dir, profile.operators,
                                     [](const std::string& password, const std::string& hash) {
                                         return ftps::verify_password(password, hash);
                                     });
    // The internal listener (profile section api:: the Segmentation API, health, metrics, the
    // console) and the reports listener for trusted hosts (reports:, mutual TLS) run beside the
    // intake, not in a drain.
    std::unique_ptr<core::SegmentService> segments;
    std::unique_ptr<http::Server> api;
    std::unique_ptr<http::Server> reports;
    if (!vm.count("drain") && (profile.api || profile.reports)) {
        const char* which = "API";
        try {
            if (profile.api) {
                segments = std::make_unique<core::SegmentService>(*runtime);
                http::Router router;
                http::add_segment_routes(router, *segments, *runtime);
                http::HealthOptions health;
                health.min_free_bytes = static_cast<uint64_t>(profile.api->min_free_bytes);
                http::add_health_routes(router, *runtime, health);
                http::add_console_routes(router, *runtime, operators, {profile.api->tls, {}});
                for (auto* service : runtime->service_plugins()) router.mount(*service);
                api =
                    std::make_unique<http::Server>(*profile.api, std::move(router), runtime->log());
                api->start();
            }
            if (profile.reports) {
                which = "reports";
                http::Router router;
                http::add_report_routes(router, *runtime);
                reports = std::make_unique<http::Server>(*profile.reports, std::move(router),
                                                         runtime->log());
                reports->start();
            }
        } catch (const std::exception& e) {
            runtime->log().event(plugin::LogLevel::error, "serve.api_failed",
                                 {{"listener", which}, {"message", e.what()}});
            runtime->log().flush();
            std::cerr << "sightline: cannot start the " << which << " listener: " << e.what()
                      << "\n";
            return refused;
        }
    }
    if (vm.count("drain")) {
        for (auto* t : runtime->transports()) t->drain(sink);
    } else {
        // The daily backup of segment definitions to the archive (docs/segments.md).
        // (An edge host keeps no data and has no definitions to back up.)
        if (!segments && !runtime->edge())
            segments = std::make_unique<core::SegmentService>(*runtime);
        std::unique_ptr<core::DailySegmentBackup> daily_backup;
        if (segments)
            daily_backup = std::make_unique<core::DailySegmentBackup>(*runtime, segments->store(),
                                                                      std::chrono::milliseconds(0));
        core::Scheduler scheduler(runtime->log(), runtime->clock());
        add_serve_tasks(scheduler, *runtime, daily_backup.get());
        scheduler.start();
        for (auto* t : runtime->transports()) t->start(sink);
        int signal = 0;
        for (;;) {
            sigwait(&signals, &signal);
            if (signal != SIGHUP) break;
            reload(*runtime, api.get(), reports.get(), operators);
        }
        runtime->log().event(plugin::LogLevel::info, "serve.stopping",
                             {{"signal", strsignal(signal)}});
        scheduler.stop();
        if (api) api->stop();
        if (reports) reports->stop();
        for (auto* t : runtime->transports()) t->stop();
    }
    const auto counts = sink.counts();
    plugin::LogFields summary;
    for (const auto& [outcome, n] : counts) summary[outcome] = std::to_string(n);
    runtime->log().event(plugin::LogLevel::info, "serve.stopped", summary);
    runtime->log().flush();
    if (vm.count("drain")) {
        int total = 0;
        for (const auto& [outcome, n] : counts) total += n;
        std::cout << "processed " << total << (total == 1 ? " upload" : " uploads");
        for (const auto& [outcome, n] : counts) std::cout << ", " << n << " " << outcome;
        std::cout << "\n";
        for (const auto& [tenant, seen] : sink.tenants())
            std::cout << "tenant " << tenant << ": see it with  sightline tenant stats --profile "
                      << profile.file << " --tenant " << tenant << "\n";
        return counts.count("refused") || counts.count("refused_pii") ? refused : ok;
    }
    return ok;
}

}  // namespace sightline::cli
