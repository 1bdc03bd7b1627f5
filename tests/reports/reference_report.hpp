// An independent computation of every report (docs/reports.md) from the stored lines and
// catalog, as evaluator-memory is for segments: plain maps over TenantStore::scan_sales(), no SQL
// beyond reading the catalog's (item, path) pairs, the calendar from the C library's gmtime and
// strftime (%G-W%V for ISO weeks) rather than the engine's own day arithmetic.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sightline/core/report.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::reporttest {

struct Line {
    std::string order, item;
    int64_t ts = 0;
    uint64_t customer = 0;
    int64_t price = 0;  // millionths
};

struct TenantData {
    std::vector<Line> lines;
    std::multimap<std::string, std::string> catalog;  // item -> category path
};

TenantData read_tenant(plugin::TenantStore& store);

// The JSON run() must return for this report name ("summary" included).
nlohmann::json reference(const TenantData& data, const std::string& name,
                         const core::report::Request& request);

}  // namespace sightline::reporttest
