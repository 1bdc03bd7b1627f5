#include "layout.hpp"

#include <openssl/rand.h>

#include <cstdio>

#include "remote_path.hpp"
#include "sha256.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::archive_ftps {

using plugin::Error;

namespace {
bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
constexpr size_t kSeqDigits = 12;
}  // namespace

void check_tenant_id(const std::string& tenant) {
    bool ok = !tenant.empty() && tenant.size() <= 64 && lower_alnum(tenant[0]);
    for (const char c : tenant) ok = ok && (lower_alnum(c) || c == '_' || c == '-');
    if (!ok) {
        throw Error("invalid tenant id '" + tenant.substr(0, 80) +
                    "' (expected [a-z0-9][a-z0-9_-]{0,63})");
    }
}

void check_sha256(const std::string& sha256) {
    if (!ftps_client::is_sha256_hex(sha256)) {
        throw Error("invalid SHA-256 '" + sha256.substr(0, 80) +
                    "' (expected 64 lower-case hex digits)");
    }
}

std::string Layout::tenant_dir(const std::string& tenant) const {
    check_tenant_id(tenant);
    return ftps_client::join_remote(base_, tenant);
}

std::string Layout::objects_dir(const std::string& tenant) const {
    return ftps_client::join_remote(tenant_dir(tenant), "objects");
}

std::string Layout::object(const std::string& tenant, const std::string& sha256) const {
    check_sha256(sha256);
    return ftps_client::join_remote(objects_dir(tenant), sha256);
}

std::string Layout::history_dir(const std::string& tenant) const {
    return ftps_client::join_remote(tenant_dir(tenant), "history");
}

std::string Layout::history_entry(const std::string& tenant, int64_t seq) const {
    char name[32];
    std::snprintf(name, sizeof name, "%012lld.json", static_cast<long long>(seq));
    return ftps_client::join_remote(history_dir(tenant), name);
}

std::string Layout::temporary(const std::string& folder) {
    unsigned char random[8];
    if (RAND_bytes(random, sizeof random) != 1) throw Error("OpenSSL cannot make random bytes");
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string name = "tmp-";
    for (const unsigned char b : random) {
        name += kDigits[b >> 4];
        name += kDigits[b & 15];
    }
    return ftps_client::join_remote(folder, name);
}

std::optional<int64_t> Layout::history_seq(const std::string& name) {
    if (name.size() != kSeqDigits + 5 || name.compare(kSeqDigits, 5, ".json") != 0) {
        return std::nullopt;
    }
    int64_t seq = 0;
    for (size_t i = 0; i < kSeqDigits; ++i) {
        if (name[i] < '0' || name[i] > '9') return std::nullopt;
        seq = seq * 10 + (name[i] - '0');
    }
    return seq > 0 ? std::optional<int64_t>(seq) : std::nullopt;
}

}  // namespace sightline::archive_ftps
