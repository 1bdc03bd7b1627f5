// Loads of target-thirdparty: rows are written to the log as they come, after the last commit
// (or into a new file for a full upload), and become visible with the commit record.
#pragma once

#include <memory>
#include <optional>

#include "sightline/plugin/target.hpp"
#include "tenant_files.hpp"

namespace sightline::target_thirdparty {

std::unique_ptr<sightline::plugin::LoadTransaction> begin_memdb_load(
    const TenantPaths& paths, const sightline::plugin::LoadSpec& spec);

}  // namespace sightline::target_thirdparty
