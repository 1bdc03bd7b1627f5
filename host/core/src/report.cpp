// The reports' entry point: which totals each report asks the evaluator for, and "summary"
// asking for all of them in one call.
#include <algorithm>
#include <stdexcept>

#include "report_internal.hpp"

namespace sightline::core::report {

namespace rp = plugin::report;

const std::vector<std::string>& names() {
    static const std::vector<std::string> all = {"revenue",        "lifecycle", "top-items",
                                                 "top-categories", "returns",   "summary"};
    return all;
}

uint32_t parts_of(const std::string& name) {
    if (name == "revenue") return rp::kLines | rp::kOrders;
    if (name == "returns") return rp::kLines;
    if (name == "lifecycle") return rp::kStages;
    if (name == "top-items") return rp::kItems;
    if (name == "top-categories") return rp::kCategories;
    if (name == "summary")
        return rp::kLines | rp::kOrders | rp::kStages | rp::kItems | rp::kCategories;
    throw std::invalid_argument("unknown report '" + name +
                                "' (revenue, lifecycle, top-items, top-categories, returns, "
                                "summary)");
}

nlohmann::json run(plugin::Evaluator& evaluator, plugin::TenantStore& store,
                   const std::string& tenant, const std::string& name, const Request& request) {
    const uint32_t parts = parts_of(name);
    validate(request);
    Totals totals = fetch_totals(evaluator, store, tenant, request, parts);

    const bool all = name == "summary";
    nlohmann::json out = envelope(request, name);
    if (all) out["granularity"] = to_string(request.granularity);
    if (all || name == "revenue") {
        auto json = revenue_json(request, totals.lines, totals.orders);
        if (!all) return json;
        out["revenue"] = std::move(json);
    }
    if (all || name == "lifecycle") {
        auto json = lifecycle_json(request, totals.stages);
        if (!all) return json;
        out["lifecycle"] = std::move(json);
    }
    if (all || name == "top-items") {
        auto json = top_json(request, "top-items", "item", std::move(totals.items));
        if (!all) return json;
        out["top-items"] = std::move(json);
    }
    if (all || name == "top-categories") {
        auto json = top_json(request, "top-categories", "category", std::move(totals.categories));
        if (!all) return json;
        out["top-categories"] = std::move(json);
    }
    auto json = returns_json(request, totals.lines);
    if (!all) return json;
    out["returns"] = std::move(json);
    return out;
}

}  // namespace sightline::core::report
