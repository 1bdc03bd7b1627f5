// The reports' entry point: which report runs which queries, and "summary" running each query
// once for all of them.
#include <algorithm>
#include <stdexcept>

#include "report_internal.hpp"

namespace sightline::core::report {

const std::vector<std::string>& names() {
    static const std::vector<std::string> all = {"revenue",        "lifecycle", "top-items",
                                                 "top-categories", "returns",   "summary"};
    return all;
}

nlohmann::json run(plugin::TenantStore& store, const std::string& dialect_name,
                   const std::string& name, const Request& request) {
    const auto& known = names();
    if (std::find(known.begin(), known.end(), name) == known.end())
        throw std::invalid_argument("unknown report '" + name +
                                    "' (revenue, lifecycle, top-items, top-categories, returns, "
                                    "summary)");
    validate(request);
    const Dialect d = dialect_named(dialect_name);
    const bool all = name == "summary";
    nlohmann::json out = envelope(request, name);
    if (all) out["granularity"] = to_string(request.granularity);

    // revenue and returns share the per-day line totals.
    std::map<int64_t, LineTotals> lines;
    if (all || name == "revenue" || name == "returns") lines = lines_by_day(store, d, request);
    if (all || name == "revenue") {
        auto json = revenue_json(request, lines, orders_by_day(store, d, request));
        if (!all) return json;
        out["revenue"] = std::move(json);
    }
    if (all || name == "lifecycle") {
        auto json = lifecycle_json(request, stage_matrix(store, d, request));
        if (!all) return json;
        out["lifecycle"] = std::move(json);
    }
    if (all || name == "top-items") {
        auto json = top_json(request, "top-items", "item", items(store, d, request));
        if (!all) return json;
        out["top-items"] = std::move(json);
    }
    if (all || name == "top-categories") {
        auto json = top_json(request, "top-categories", "category", categories(store, d, request));
        if (!all) return json;
        out["top-categories"] = std::move(json);
    }
    auto json = returns_json(request, lines);
    if (!all) return json;
    out["returns"] = std::move(json);
    return out;
}

}  // namespace sightline::core::report
