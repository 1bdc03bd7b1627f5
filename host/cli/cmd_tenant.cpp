// sightline tenant stats --profile P --tenant T [--json]
#include <iostream>
#include <nlohmann/json.hpp>

#include "runtime_open.hpp"
#include "sightline/core/timestamp.hpp"

namespace sightline::cli {

int run_tenant_stats(const std::vector<std::string>& args) {
    po::options_description options("Options");
    add_profile_options(options);
    add_json_option(options);
    options.add_options()("tenant,t", po::value<std::string>()->required(), "the tenant id");
    po::variables_map vm;
    if (!parse(args, "sightline tenant stats --profile P --tenant T [--json]", options, {}, vm))
        return ok;
    auto runtime = open_runtime(vm);
    if (!runtime) return refused;
    const std::string tenant = vm["tenant"].as<std::string>();
    if (!runtime->profile().tenant(tenant)) {
        std::cerr << "sightline: unknown tenant '" << tenant << "' (not in "
                  << runtime->profile().file << ")\n";
        return refused;
    }
    auto store = runtime->target().open(tenant);
    const plugin::TenantStats stats = store->stats();
    const auto history = store->history();
    nlohmann::json files = nlohmann::json::array(), all = nlohmann::json::array();
    for (const auto& r : history) {
        nlohmann::json j = {{"name", r.name},
                            {"sha256", r.sha256},
                            {"rows", r.rows},
                            {"mode", plugin::to_string(r.mode)},
                            {"kind", plugin::to_string(r.kind)},
                            {"result", plugin::to_string(r.result)},
                            {"time", core::format_timestamp(r.at_us)},
                            {"bytes", r.bytes}};
        all.push_back(j);
        if (r.result == plugin::FileResult::loaded) files.push_back(j);
    }
    // Deletions are API 1.1: a target built against 1.0 has none to show.
    std::vector<plugin::DeletionRecord> deletions;
    try {
        runtime->require_api("target", 1, "listing deletions");
        deletions = store->deletions();
    } catch (const plugin::Error&) {
    }
    nlohmann::json deletions_json = nlohmann::json::array();
    for (const auto& d : deletions)
        deletions_json.push_back({{"id", d.id},
                                  {"scope", plugin::to_string(d.scope)},
                                  {"time", core::format_timestamp(d.at_us)},
                                  {"reason", d.reason},
                                  {"operator", d.operator_name},
                                  {"lines", d.removed.lines},
                                  {"orders", d.removed.orders},
                                  {"customers", d.removed.customers},
                                  {"revenue", d.removed.revenue}});
    if (vm.count("json")) {
        nlohmann::json out = {{"tenant", tenant},
                              {"files", files},
                              {"history", all},
                              {"lines", stats.lines},
                              {"customers", stats.customers},
                              {"revenue", stats.revenue},
                              {"catalog_items", stats.catalog_items},
                              {"deletions", deletions_json}};
        std::cout << out.dump(2) << "\n";
        return ok;
    }
    std::cout << "tenant         " << tenant << "\nlines          " << stats.lines
              << "\ncustomers      " << stats.customers << "\nrevenue        " << stats.revenue
              << "\ncatalog items  " << stats.catalog_items << "\nfiles (" << history.size()
              << "):\n";
    for (const auto& r : history)
        std::cout << "  " << core::format_timestamp(r.at_us) << "  " << plugin::to_string(r.result)
                  << "  " << plugin::to_string(r.kind) << "/" << plugin::to_string(r.mode) << "  "
                  << r.rows << " rows  " << r.name << "  sha256:" << r.sha256 << "\n";
    if (!deletions.empty()) std::cout << "deletions (" << deletions.size() << "):\n";
    for (const auto& d : deletions)
        std::cout << "  " << core::format_timestamp(d.at_us) << "  " << plugin::to_string(d.scope)
                  << "  " << d.removed.lines << " lines  by " << d.operator_name << ": " << d.reason
                  << "\n";
    return ok;
}

}  // namespace sightline::cli
