#include "spool_file.hpp"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "sightline/plugin/api.hpp"

namespace sightline::archive_ftps {

using plugin::Error;

namespace {

// Worth retrying later: room is made, a quota raised, a passing I/O error goes away.
bool worth_retrying(int error) { return error == ENOSPC || error == EDQUOT || error == EIO; }

}  // namespace

SpoolFile::SpoolFile(const std::string& folder) : folder_(folder) {
    std::error_code ec;
    // Spooled uploads are tenants' data: a folder made here is the service user's only.
    if (std::filesystem::create_directories(folder, ec))
        std::filesystem::permissions(folder, std::filesystem::perms::owner_all, ec);
    if (ec) throw Error("cannot create spool folder " + folder + ": " + ec.message());
    // O_TMPFILE: never visible in the folder; mode 0600.
    fd_ = ::open(folder.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd_ < 0) {
        // Filesystems without O_TMPFILE: a named file, unlinked at once.
        std::string pattern = folder + "/spool-XXXXXX";
        fd_ = ::mkostemp(pattern.data(), O_CLOEXEC);
        if (fd_ < 0) {
            const int error = errno;
            throw Error("cannot create a spool file in " + folder + ": " + strerror(error),
                        worth_retrying(error));
        }
        ::unlink(pattern.c_str());
    }
}

SpoolFile::~SpoolFile() {
    if (fd_ >= 0) ::close(fd_);
}

void SpoolFile::write(const char* data, size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd_, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int error = n < 0 ? errno : ENOSPC;  // a write of 0 bytes: no room for more
            throw Error("cannot write a spool file in " + folder_ + ": " + strerror(error),
                        worth_retrying(error));
        }
        data += n;
        size -= static_cast<size_t>(n);
    }
}

size_t SpoolFile::read(char* buffer, size_t size) {
    for (;;) {
        const ssize_t n = ::read(fd_, buffer, size);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw Error(std::string("cannot read a spool file: ") + strerror(errno));
        return static_cast<size_t>(n);
    }
}

void SpoolFile::rewind() {
    if (::lseek(fd_, 0, SEEK_SET) != 0) throw Error("cannot rewind a spool file");
}

std::string SpoolFile::proc_path() const { return "/proc/self/fd/" + std::to_string(fd_); }

}  // namespace sightline::archive_ftps
