#include "layout.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "names.hpp"
#include "posix_file.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::archive_fs {

TenantLayout::TenantLayout(const std::string& root, const std::string& tenant) : tenant_(tenant) {
    check_tenant_id(tenant);
    dir_ = root + "/" + tenant;
}

std::optional<StoredObject> TenantLayout::find(const std::string& sha256) const {
    // Both forms are looked for: the compression setting may have changed since it was stored.
    for (bool compressed : {true, false}) {
        std::string path = object_path(sha256, compressed);
        struct stat st {};
        if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
            return StoredObject{std::move(path), compressed};
        }
    }
    return std::nullopt;
}

namespace {

// The entries of a folder; none when it does not exist (a tenant that never stored anything).
std::vector<std::string> folder_entries(const std::string& dir) {
    std::vector<std::string> names;
    DIR* listing = ::opendir(dir.c_str());
    if (!listing) {
        if (errno == ENOENT) return names;
        throw sightline::plugin::Error("archive-fs: cannot list " + dir + ": " +
                                       std::strerror(errno));
    }
    while (const dirent* entry = ::readdir(listing)) names.emplace_back(entry->d_name);
    ::closedir(listing);
    return names;
}

bool is_regular_file(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

std::vector<std::string> TenantLayout::list_objects() const {
    std::vector<std::string> shas;
    for (const std::string& prefix : folder_entries(objects_dir())) {
        if (prefix.size() != 2 || prefix == "..") continue;
        const std::string dir = objects_dir() + "/" + prefix;
        for (const std::string& name : folder_entries(dir)) {
            // <sha> or <sha>.zst, filed under its own first two digits; nothing else is an object.
            std::string sha = name;
            const std::string suffix = ".zst";
            if (sha.size() == 64 + suffix.size() && sha.compare(64, suffix.size(), suffix) == 0) {
                sha.resize(64);
            }
            if (!valid_sha256(sha) || sha.compare(0, 2, prefix) != 0) continue;
            if (is_regular_file(dir + "/" + name)) shas.push_back(std::move(sha));
        }
    }
    std::sort(shas.begin(), shas.end());
    // Both forms of one object can coexist when two writers with different compression settings
    // commit the same bytes at the same moment.
    shas.erase(std::unique(shas.begin(), shas.end()), shas.end());
    return shas;
}

void TenantLayout::create_folders(bool durable) const {
    ensure_directory(dir_, durable);
    ensure_directory(objects_dir(), durable);
    ensure_directory(tmp_dir(), durable);
}

}  // namespace sightline::archive_fs
