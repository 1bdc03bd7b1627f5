#include "posix_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sightline/plugin/api.hpp"

namespace sightline::archive_fs {

using sightline::plugin::Error;

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
        reset();
        fd_ = other.release();
    }
    return *this;
}

void UniqueFd::reset() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

void throw_errno(const std::string& action, const std::string& path) {
    const int error = errno;
    // Worth retrying later: the disk may get space, the quota may be raised, a network file
    // system's I/O error may pass. The load keeps the upload pending either way; this only
    // decides whether the host retries at once. (A read-only folder waits for an operator.)
    const bool transient = error == ENOSPC || error == EDQUOT || error == EIO || error == EAGAIN ||
                           error == EBUSY || error == ETIMEDOUT;
    throw Error("archive-fs: cannot " + action + " " + path + ": " + std::strerror(error),
                transient);
}

UniqueFd open_or_throw(const std::string& path, int flags, mode_t mode) {
    int fd;
    do {
        fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) throw_errno("open", path);
    return UniqueFd(fd);
}

void write_all(int fd, const char* data, size_t size, const std::string& path) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_errno("write", path);
        }
        data += n;
        size -= static_cast<size_t>(n);
    }
}

size_t read_some(int fd, char* buffer, size_t size, const std::string& path) {
    for (;;) {
        const ssize_t n = ::read(fd, buffer, size);
        if (n >= 0) return static_cast<size_t>(n);
        if (errno != EINTR) throw_errno("read", path);
    }
}

void fsync_or_throw(int fd, const std::string& path) {
    if (::fsync(fd) != 0) throw_errno("fsync", path);
}

void fsync_directory(const std::string& path) {
    const UniqueFd fd = open_or_throw(path, O_RDONLY | O_DIRECTORY);
    fsync_or_throw(fd.get(), path);
}

bool ensure_directory(const std::string& path, bool durable) {
    if (::mkdir(path.c_str(), 0700) == 0) {
        if (durable) fsync_directory(parent_of(path));
        return true;
    }
    if (errno != EEXIST) throw_errno("create folder", path);
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throw_errno("inspect", path);
    if (!S_ISDIR(st.st_mode)) {
        throw Error("archive-fs: " + path + " exists and is not a folder");
    }
    return false;
}

std::string parent_of(const std::string& path) {
    const auto slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

}  // namespace sightline::archive_fs
