// Tenants must never share storage: two tenant ids that a target maps to one database, role or
// file (target-postgres turns '-' into '_', so 'acme-eu' and 'acme_eu' would be one database)
// would mix their data silently. Each target names a tenant's storage (plugin API 1.4,
// Target::storage_name); the host refuses a profile in which two tenants of one target section
// get the same name, in `profile check` and at the start of every command that opens the
// runtime. The targets' mappings never change, so existing tenants keep their databases.
#pragma once

#include <string>
#include <vector>

#include "sightline/core/plugin_loader.hpp"
#include "sightline/core/profile.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::core {

struct CheckedProfile;

struct StorageNameCheck {
    std::vector<std::string> errors;    // tenants sharing a name; ids a target cannot name
    std::vector<std::string> warnings;  // target sections that cannot say (built before 1.4)
};

// One target section (role "target" or "targets.<name>") and its plugin's probed descriptor:
// storage_name() is called only on a plugin built for API 1.4 or later.
void check_storage_names(const plugin::Target& target, const PluginInfo& info,
                         const std::string& role, const std::vector<TenantProfile>& tenants,
                         StorageNameCheck& out);

// For `profile check`: creates each target section's plugin with its checked config (nothing
// else: no store is opened, no server reached) and checks it. Call only on a profile without
// errors. A plugin that cannot be created is an error naming it.
StorageNameCheck check_storage_names(const CheckedProfile& checked);

}  // namespace sightline::core
