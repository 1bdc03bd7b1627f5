#include "sightline/core/private_files.hpp"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace sightline::core {

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path, int error) {
    throw std::runtime_error("cannot " + what + " " + path + ": " + strerror(error));
}

// Only the owner's bits stay; a file or folder of another user is left alone (chmod would fail,
// and it is not ours to change).
void tighten(int fd, const struct stat& st) {
    if ((st.st_mode & 077) != 0 && st.st_uid == geteuid()) ::fchmod(fd, st.st_mode & 0700);
}

void make_private_file(const std::string& path, bool create) {
    int flags = O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK;
    if (create) flags |= O_CREAT;
    const int fd = ::open(path.c_str(), flags, 0600);
    if (fd < 0) {
        if (!create && errno == ENOENT) return;
        fail("create", path, errno);
    }
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) tighten(fd, st);
    ::close(fd);
}

}  // namespace

void make_private_folder(const std::string& path) {
    if (path.empty()) return;
    // Left to right, so each missing folder is created 0700 whatever the umask.
    for (size_t pos = 1; pos <= path.size(); ++pos) {
        if (pos != path.size() && path[pos] != '/') continue;
        if (path[pos - 1] == '/') continue;
        const std::string prefix = path.substr(0, pos);
        if (::mkdir(prefix.c_str(), 0700) == 0) {
            ::chmod(prefix.c_str(), 0700);
        } else if (errno != EEXIST) {
            fail("create folder", prefix, errno);
        }
    }
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fail("open folder", path, errno);
    struct stat st {};
    if (::fstat(fd, &st) == 0) tighten(fd, st);
    ::close(fd);
}

void make_private_sqlite(const std::string& path) {
    make_private_file(path, true);
    make_private_file(path + "-wal", false);
    make_private_file(path + "-shm", false);
}

}  // namespace sightline::core
