// Small POSIX helpers: an owning file descriptor, whole writes, durable folders. Every failure
// becomes a sightline::plugin::Error naming the path and errno; a full disk is transient.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>

namespace sightline::archive_fs {

class UniqueFd {
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : fd_(fd) {}
    ~UniqueFd() { reset(); }
    UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept;
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;

    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    int release() {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }
    void reset() noexcept;

private:
    int fd_ = -1;
};

// Throws Error("<action> <path>: <strerror(errno)>"); ENOSPC/EDQUOT and the like are transient.
[[noreturn]] void throw_errno(const std::string& action, const std::string& path);

// Opens or throws (O_CLOEXEC is added).
UniqueFd open_or_throw(const std::string& path, int flags, mode_t mode = 0);

void write_all(int fd, const char* data, size_t size, const std::string& path);
// Reads up to size bytes, retrying on EINTR; 0 at the end.
size_t read_some(int fd, char* buffer, size_t size, const std::string& path);
void fsync_or_throw(int fd, const std::string& path);
void fsync_directory(const std::string& path);

// Creates the folder with mode 0700 if missing and returns whether it did. With durable set, a
// new folder's entry is fsynced into its parent so that a crash cannot lose it.
bool ensure_directory(const std::string& path, bool durable);

// The folder part of a path ("a/b/c" -> "a/b").
std::string parent_of(const std::string& path);

}  // namespace sightline::archive_fs
