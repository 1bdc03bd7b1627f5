// The SDK's in-process harness (plugin-api/include/sightline/testing/harness.hpp).
#include "sightline/testing/harness.hpp"

#include "sightline/core/segment_service.hpp"
#include "sightline/core/timestamp.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sightline/core/lifecycle.hpp"
#include "sightline/core/runtime.hpp"

namespace fs = std::filesystem;

namespace sightline::testing {

struct Harness::Impl {
    std::string dir;
    std::unique_ptr<core::Runtime> runtime;
};

namespace {

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : ":") + p;
    return out;
}

LoadResult to_result(const core::LoadReport& report, const std::string& name) {
    LoadResult r;
    r.outcome = plugin::to_string(report.outcome);
    r.message = report.message;
    r.rows = report.record.rows;
    r.sha256 = report.record.sha256;
    for (const auto& e : report.errors) r.errors.push_back(core::Pipeline::describe(name, e));
    return r;
}

}  // namespace

Harness::Harness(const std::string& profile_yaml, const std::vector<std::string>& plugin_path)
    : impl_(std::make_unique<Impl>()) {
    std::string templ = (fs::temp_directory_path() / "sightline-harness-XXXXXX").string();
    if (!mkdtemp(templ.data()))
        throw std::runtime_error("harness: cannot create a temporary folder");
    impl_->dir = templ;
    std::string text = profile_yaml;
    for (size_t at; (at = text.find("{dir}")) != std::string::npos;)
        text.replace(at, 5, impl_->dir);
    if (text.find("state_dir:") == std::string::npos)
        text = "state_dir: " + impl_->dir + "/state\n" + text;
    // The host's log goes to a file in the folder, so test output stays readable.
    if (text.find("\nlog:") == std::string::npos && text.rfind("log:", 0) != 0)
        text = "log: {file: " + impl_->dir + "/sightline.log}\n" + text;
    const std::string profile = impl_->dir + "/profile.yaml";
    std::ofstream(profile) << text;
    impl_->runtime = std::make_unique<core::Runtime>(profile, join(plugin_path));
}

Harness::~Harness() {
    impl_->runtime.reset();
    std::error_code ec;
    fs::remove_all(impl_->dir, ec);
}

LoadResult Harness::load(const std::string& tenant, const std::string& file, bool full) {
    core::LoadRequest request;
    request.tenant = tenant;
    request.path = file;
    request.mode = full ? plugin::LoadMode::full : plugin::LoadMode::incremental;
    return to_result(impl_->runtime->pipeline().process(request),
                     fs::path(file).filename().string());
}

LoadResult Harness::load_text(const std::string& tenant, const std::string& name,
                              const std::string& csv, bool full) {
    const fs::path folder = fs::path(impl_->dir) / "uploads";
    fs::create_directories(folder);
    const fs::path file = folder / name;
    std::ofstream(file, std::ios::binary) << csv;
    LoadResult r = load(tenant, file.string(), full);
    fs::remove(file);
    return r;
}

plugin::DeletionResult Harness::delete_lines(const std::string& tenant,
                                             plugin::DeletionRequest request) {
    if (request.operator_name.empty()) request.operator_name = "harness";
    return core::delete_lines(*impl_->runtime, tenant, std::move(request));
}

RestoreResult Harness::restore(const std::string& tenant, const std::string& into, bool replace) {
    RestoreResult result;
    try {
        const core::RestoreReport report = core::restore_tenant(
            *impl_->runtime,
            core::RestoreOptions{tenant, into, replace, "harness", "a plugin test"});
        result.ok = true;
        result.message = report.message;
        result.files = report.files;
        result.rows = report.rows;
        result.deletions = report.deletions;
    } catch (const std::exception& e) {
        result.message = e.what();
    }
    return result;
}

EvaluateResult Harness::evaluate(const std::string& tenant, const std::string& definition,
                                 const std::string& as_of, const std::string& evaluator,
                                 const std::string& target_section) {
    const core::ParsedDefinition parsed =
        core::parse_definition(definition, core::guess_definition_format(definition));
    if (!parsed.definition) {
        std::string message = "invalid segment definition:";
        for (const auto& e : parsed.errors) message += "\n  " + e.to_string();
        throw plugin::Error(message);
    }
    std::string reason;
    const auto instant = core::parse_timestamp(as_of, reason);
    if (!instant) throw plugin::Error("as_of '" + as_of + "': " + reason);
    plugin::Target& target =
        target_section.empty() ? impl_->runtime->target() : impl_->runtime->target(target_section);
    try {
        core::Evaluation e = core::evaluate_on_target(*impl_->runtime, target, tenant,
                                                      parsed.definition->rule, instant, evaluator);
        return EvaluateResult{std::move(e.customers), std::move(e.warnings), e.evaluator};
    } catch (const core::SegmentError& e) {
        throw plugin::Error(e.what());
    }
}

plugin::Archive& Harness::archive() { return impl_->runtime->archive(); }
plugin::Target& Harness::target() { return impl_->runtime->target(); }
plugin::Target& Harness::target(const std::string& section) {
    return impl_->runtime->target(section);
}
plugin::UploadSink& Harness::sink() { return impl_->runtime->pipeline(); }
const std::string& Harness::dir() const { return impl_->dir; }

}  // namespace sightline::testing
