#include "landing.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <openssl/rand.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "sightline/plugin/api.hpp"

namespace sightline::intake_ftps {

namespace {

struct DirCloser {
    void operator()(DIR* dir) const { ::closedir(dir); }
};

int mkdir_at(int at, const char* name) {
    if (::mkdirat(at, name, 0700) == 0 || errno == EEXIST) return 0;
    return errno;
}

Fd open_dir_at(int at, const std::string& name) {
    return Fd(::openat(at, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
}

}  // namespace

const char* sub_name(Sub sub) {
    switch (sub) {
        case Sub::root:
            return "";
        case Sub::full:
            return "full";
        case Sub::status:
            return "status";
        case Sub::partial:
            return ".partial";
    }
    return "";
}

void Landing::prepare(const std::vector<std::string>& tenants) const {
    for (size_t pos = 1; pos <= root_.size(); ++pos) {
        if (pos != root_.size() && root_[pos] != '/') continue;
        const std::string prefix = root_.substr(0, pos);
        if (::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
            throw plugin::Error("intake-ftps: cannot create " + prefix + ": " +
                                std::strerror(errno));
        }
    }
    Fd root = open_root();
    if (!root.valid()) {
        throw plugin::Error("intake-ftps: cannot open landing folder " + root_ + ": " +
                            std::strerror(errno));
    }
    for (const auto& tenant : tenants) {
        if (!valid_component(tenant)) {
            throw plugin::Error("intake-ftps: tenant id '" + tenant + "' cannot be a folder name");
        }
        int error = mkdir_at(root.get(), tenant.c_str());
        Fd dir = open_dir_at(root.get(), tenant);
        if (error != 0 || !dir.valid()) {
            throw plugin::Error("intake-ftps: cannot create or open " + path(tenant, Sub::root) +
                                " (symlinks are not followed)");
        }
        for (Sub sub : {Sub::full, Sub::status, Sub::partial}) {
            if (mkdir_at(dir.get(), sub_name(sub)) != 0 ||
                !open_dir_at(dir.get(), sub_name(sub)).valid()) {
                throw plugin::Error("intake-ftps: cannot create or open " + path(tenant, sub) +
                                    " (symlinks are not followed)");
            }
        }
    }
}

Fd Landing::open_root() const {
    return Fd(::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
}

Fd Landing::open_dir(const std::string& tenant, Sub sub) const {
    if (!valid_component(tenant)) {
        errno = EINVAL;
        return Fd();
    }
    Fd root = open_root();
    if (!root.valid()) return root;
    Fd dir = open_dir_at(root.get(), tenant);
    if (!dir.valid() || sub == Sub::root) return dir;
    return open_dir_at(dir.get(), sub_name(sub));
}

std::string Landing::path(const std::string& tenant, Sub sub, const std::string& name) const {
    std::string out = root_ + "/" + tenant;
    if (sub != Sub::root) out += std::string("/") + sub_name(sub);
    if (!name.empty()) out += "/" + name;
    return out;
}

std::vector<Entry> Landing::list(int dir_fd) {
    std::vector<Entry> out;
    // fdopendir() owns its descriptor: hand it a duplicate.
    Fd copy(::fcntl(dir_fd, F_DUPFD_CLOEXEC, 0));
    if (!copy.valid()) return out;
    std::unique_ptr<DIR, DirCloser> dir(::fdopendir(copy.get()));
    if (!dir) return out;
    copy.release();
    ::rewinddir(dir.get());
    while (const dirent* d = ::readdir(dir.get())) {
        const std::string name = d->d_name;
        if (name.empty() || name.front() == '.') continue;
        struct stat st {};
        if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) continue;
        out.push_back({name, S_ISDIR(st.st_mode), static_cast<int64_t>(st.st_size),
                       static_cast<int64_t>(st.st_mtim.tv_sec)});
    }
    std::sort(out.begin(), out.end(),
              [](const Entry& a, const Entry& b) { return a.name < b.name; });
    return out;
}

bool Landing::stat_file(int dir_fd, const std::string& name, Entry& entry) {
    struct stat st {};
    if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return false;
    if (!S_ISREG(st.st_mode)) return false;
    entry = {name, false, static_cast<int64_t>(st.st_size),
             static_cast<int64_t>(st.st_mtim.tv_sec)};
    return true;
}

Usage Landing::usage(const std::string& tenant) const {
    Usage usage;
    for (Sub sub : {Sub::root, Sub::full, Sub::status, Sub::partial}) {
        Fd dir = open_dir(tenant, sub);
        if (!dir.valid()) continue;
        for (const auto& entry : list(dir.get())) {
            if (entry.dir) continue;
            usage.bytes += entry.size;
            ++usage.files;
        }
    }
    return usage;
}

std::string random_hex(size_t bytes) {
    std::vector<unsigned char> raw(bytes);
    if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) {
        throw plugin::Error("intake-ftps: no random bytes from OpenSSL");
    }
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : raw) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 15]);
    }
    return out;
}

}  // namespace sightline::intake_ftps
