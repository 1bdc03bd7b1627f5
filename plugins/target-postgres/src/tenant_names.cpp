#include "tenant_names.hpp"

#include "sightline/plugin/api.hpp"

namespace sightline::target_pg {

using sightline::plugin::Error;

namespace {

constexpr size_t kMaxIdentifier = 63;  // NAMEDATALEN - 1

bool valid_tenant_id(const std::string& id) {
    if (id.empty() || id.size() > 64) return false;
    for (size_t i = 0; i < id.size(); ++i) {
        const char c = id[i];
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '_' && c != '-'))) return false;
    }
    return true;
}

}  // namespace

TenantNames tenant_names(const std::string& prefix, const std::string& tenant) {
    if (!valid_tenant_id(tenant)) {
        throw Error("invalid tenant id '" + tenant + "' (expected [a-z0-9][a-z0-9_-]{0,63})");
    }
    TenantNames names;
    names.database = prefix + tenant;
    for (char& c : names.database) {
        if (c == '-') c = '_';
    }
    names.role = names.database + "_owner";
    if (names.role.size() > kMaxIdentifier) {
        throw Error("tenant '" + tenant + "': its role name '" + names.role + "' would exceed " +
                    std::to_string(kMaxIdentifier) +
                    " bytes; use a shorter database_prefix or tenant id");
    }
    return names;
}

}  // namespace sightline::target_pg
