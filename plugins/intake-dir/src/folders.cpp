#include "folders.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace sightline::intake_dir {

Fd& Fd::operator=(Fd&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = other.release();
    }
    return *this;
}

Fd::~Fd() {
    if (fd_ >= 0) ::close(fd_);
}

FileId file_id(const struct stat& st) {
    FileId id;
    id.device = static_cast<uint64_t>(st.st_dev);
    id.inode = static_cast<uint64_t>(st.st_ino);
    id.size = static_cast<int64_t>(st.st_size);
    id.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    return id;
}

Fd open_directory(int at, const std::string& name, bool follow_symlink, int& error) {
    int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
    if (!follow_symlink) flags |= O_NOFOLLOW;
    int fd = ::openat(at, name.c_str(), flags);
    error = fd < 0 ? errno : 0;
    return Fd(fd);
}

int stat_entry(int dir_fd, const std::string& name, struct stat& st) {
    return ::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 ? 0 : errno;
}

int make_directories(const std::string& path, unsigned mode) {
    // Walk the components left to right so each missing one is created with the mode.
    for (size_t pos = 1; pos <= path.size(); ++pos) {
        if (pos != path.size() && path[pos] != '/') continue;
        const std::string prefix = path.substr(0, pos);
        if (::mkdir(prefix.c_str(), 0700) == 0) {
            if (::chmod(prefix.c_str(), mode) != 0) return errno;
        } else if (errno != EEXIST) {
            return errno;
        }
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return errno;
    return S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
}

int make_directory_at(int dir_fd, const std::string& name, unsigned mode) {
    // Created 0700 first: no one else can use the folder before it has its final mode.
    if (::mkdirat(dir_fd, name.c_str(), 0700) == 0)
        return ::fchmodat(dir_fd, name.c_str(), mode, 0) == 0 ? 0 : errno;
    return errno == EEXIST ? 0 : errno;
}

std::string error_text(int error) { return std::system_category().message(error); }

}  // namespace sightline::intake_dir
