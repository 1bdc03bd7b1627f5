#include "restore_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sightline/core/lifecycle.hpp"

namespace sightline::core {

RestoreLock::RestoreLock(const std::string& state_dir, const std::string& tenant) {
    // Tenant ids are checked by the profile ([a-z0-9_-]): the name stays in state_dir.
    const std::string path = state_dir + "/restore-" + tenant + ".lock";
    fd_ = ::open(path.c_str(), O_CREAT | O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd_ < 0)
        throw plugin::Error("cannot open the restore lock " + path + ": " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        const int saved = errno;
        ::close(fd_);
        fd_ = -1;
        if (saved == EWOULDBLOCK)
            throw RestoreRefused("another restore of tenant '" + tenant +
                                 "' is running (it holds " + path +
                                 "); wait for it to end; nothing was changed");
        throw plugin::Error("cannot lock " + path + ": " + std::strerror(saved));
    }
}

RestoreLock::~RestoreLock() {
    if (fd_ >= 0) ::close(fd_);
}

}  // namespace sightline::core
