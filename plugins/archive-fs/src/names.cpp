#include "names.hpp"

#include "sightline/plugin/api.hpp"

namespace sightline::archive_fs {

using sightline::plugin::Error;

namespace {

bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

bool valid_tenant_id(std::string_view id) {
    if (id.empty() || id.size() > 64 || !lower_alnum(id[0])) return false;
    for (char c : id) {
        if (!lower_alnum(c) && c != '_' && c != '-') return false;
    }
    return true;
}

bool valid_sha256(std::string_view sha256) {
    if (sha256.size() != 64) return false;
    for (char c : sha256) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

void check_tenant_id(const std::string& tenant) {
    if (!valid_tenant_id(tenant)) {
        throw Error("invalid tenant id '" + tenant + "' (expected [a-z0-9][a-z0-9_-]{0,63})");
    }
}

void check_sha256(const std::string& sha256) {
    if (!valid_sha256(sha256)) {
        throw Error("invalid SHA-256 '" + sha256.substr(0, 80) +
                    "' (expected 64 lower-case hex digits)");
    }
}

}  // namespace sightline::archive_fs
