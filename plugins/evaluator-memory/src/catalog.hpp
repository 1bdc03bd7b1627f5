// Reading the tenant's catalog as (item, category path) pairs, for category rules and reports.
#pragma once

#include <functional>
#include <string_view>

#include "sightline/plugin/target.hpp"

namespace sightline::evaluator_memory {

// Every (item, path) pair of the current catalog, one per path of an item's category cell.
// Through TenantStore::scan_catalog (API 1.5), so any target works; a target built before 1.5
// throws there, and its bundled table is read instead (`SELECT item, path FROM
// catalog_categories`, the layout the bundled targets had then).
void read_catalog(plugin::TenantStore& store,
                  const std::function<void(std::string_view item, std::string_view path)>& fn);

}  // namespace sightline::evaluator_memory
