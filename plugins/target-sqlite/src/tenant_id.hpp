// Tenant ids become file names, so they are checked here even though the host checks them too.
#pragma once

#include <string_view>

namespace sightline::target_sqlite {

// [a-z0-9][a-z0-9_-]{0,63}
inline bool valid_tenant_id(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (size_t i = 0; i < id.size(); ++i) {
        const char c = id[i];
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '_' && c != '-'))) return false;
    }
    return true;
}

}  // namespace sightline::target_sqlite
