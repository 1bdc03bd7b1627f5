// Tenant ids and checksums become folder and file names: both are checked before any path is
// built from them, even though the host checks tenant ids too.
#pragma once

#include <string>
#include <string_view>

namespace sightline::archive_fs {

// [a-z0-9][a-z0-9_-]{0,63}
bool valid_tenant_id(std::string_view id);
// 64 lower-case hex digits
bool valid_sha256(std::string_view sha256);

// Throw Error naming the bad value.
void check_tenant_id(const std::string& tenant);
void check_sha256(const std::string& sha256);

}  // namespace sightline::archive_fs
