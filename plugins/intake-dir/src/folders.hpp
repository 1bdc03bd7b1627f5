// Thin POSIX helpers for walking landing folders without following symlinks.
//
// Tenants may be able to create symlinks in their own folders (an SFTP account, say). Everything
// below the root is therefore reached through directory descriptors opened with O_NOFOLLOW and
// the *at() calls, so a "full" symlink pointing at /etc cannot make the plugin read or delete
// files outside the tenant's folder.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <string>

namespace sightline::intake_dir {

// Owns one file descriptor.
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    Fd(Fd&& other) noexcept : fd_(other.release()) {}
    Fd& operator=(Fd&& other) noexcept;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd();

    int get() const { return fd_; }
    bool valid() const { return fd_ >= 0; }
    int release() {
        int fd = fd_;
        fd_ = -1;
        return fd;
    }

private:
    int fd_ = -1;
};

// What identifies one version of a file: a rename over it or a rewrite changes it.
struct FileId {
    uint64_t device = 0;
    uint64_t inode = 0;
    int64_t size = 0;
    int64_t mtime_ns = 0;  // nanoseconds since the epoch

    bool operator==(const FileId& o) const {
        return device == o.device && inode == o.inode && size == o.size && mtime_ns == o.mtime_ns;
    }
    bool operator!=(const FileId& o) const { return !(*this == o); }
};

FileId file_id(const struct stat& st);

// Opens the directory name relative to at (AT_FDCWD or a directory descriptor). With
// follow_symlink false a symlink is refused (error is ELOOP or ENOTDIR). On failure returns an
// invalid Fd and sets error to the errno value.
Fd open_directory(int at, const std::string& name, bool follow_symlink, int& error);

// lstat() relative to a directory descriptor. Returns 0 or the errno value.
int stat_entry(int dir_fd, const std::string& name, struct stat& st);

// Creates path and its missing parents with exactly `mode` (set after mkdir, so the umask does not
// change it; existing folders keep their mode). Returns 0 or the errno value.
int make_directories(const std::string& path, unsigned mode);

// mkdirat() with exactly `mode`; an existing entry is not an error and keeps its mode. Returns 0
// or the errno value.
int make_directory_at(int dir_fd, const std::string& name, unsigned mode);

std::string error_text(int error);

}  // namespace sightline::intake_dir
