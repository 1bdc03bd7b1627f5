// A tenant's database and role names: <prefix><tenant with '-' as '_'> and the same + "_owner".
#pragma once

#include <string>

namespace sightline::target_pg {

struct TenantNames {
    std::string database;
    std::string role;
};

// Throws Error for an invalid tenant id ([a-z0-9][a-z0-9_-]{0,63}) or when a name would exceed
// PostgreSQL's 63-byte identifier limit (it would be silently truncated, and two tenants could
// then share a database).
TenantNames tenant_names(const std::string& prefix, const std::string& tenant);

}  // namespace sightline::target_pg
