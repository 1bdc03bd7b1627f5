// The landing folder on disk: <landing>/<tenant>/{., full/, status/, .partial/}.
//
// Tenants never get a shell here, but the folder may be shared with other tools, so nothing is
// trusted: every folder below the landing root is opened component by component with
// O_NOFOLLOW | O_DIRECTORY, files with O_NOFOLLOW, and entries that are not plain files or
// folders are invisible. A symlink planted anywhere therefore leads nowhere.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fd.hpp"
#include "virtual_path.hpp"

namespace sightline::intake_ftps {

enum class Sub { root, full, status, partial };
const char* sub_name(Sub sub);  // "", "full", "status", ".partial"

struct Entry {
    std::string name;
    bool dir = false;
    int64_t size = 0;
    int64_t mtime_s = 0;
};

struct Usage {
    int64_t bytes = 0;
    int64_t files = 0;
};

class Landing {
public:
    explicit Landing(std::string root) : root_(std::move(root)) {}

    const std::string& root() const { return root_; }
    // Creates the root and each tenant's folders (mode 0700). Throws plugin::Error.
    void prepare(const std::vector<std::string>& tenants) const;

    // The folder of a tenant (sub) without following symlinks; invalid Fd and errno on failure.
    Fd open_dir(const std::string& tenant, Sub sub) const;
    Fd open_root() const;
    std::string path(const std::string& tenant, Sub sub, const std::string& name = "") const;

    // Plain files and folders of a folder, sorted by name; dot names and symlinks left out.
    static std::vector<Entry> list(int dir_fd);
    // lstat of one plain file in dir_fd; false when absent or not a plain file.
    static bool stat_file(int dir_fd, const std::string& name, Entry& entry);

    // Bytes and files a tenant holds: uploads, full uploads, partial uploads and status notes.
    // Notes count because the server writes one per upload: left out, many tiny uploads would
    // fill the disk's inodes with notes. Notes leave with the retention sweep or DELE.
    Usage usage(const std::string& tenant) const;

private:
    std::string root_;
};

// A random name for a partial upload or a token (hex of `bytes` random bytes).
std::string random_hex(size_t bytes);

}  // namespace sightline::intake_ftps
