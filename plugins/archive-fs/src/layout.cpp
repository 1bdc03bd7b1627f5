#include "layout.hpp"

#include <sys/stat.h>

#include "names.hpp"
#include "posix_file.hpp"

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

void TenantLayout::create_folders(bool durable) const {
    ensure_directory(dir_, durable);
    ensure_directory(objects_dir(), durable);
    ensure_directory(tmp_dir(), durable);
}

}  // namespace sightline::archive_fs
