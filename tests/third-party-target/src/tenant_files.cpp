#include "tenant_files.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "sightline/plugin/api.hpp"
#include "tenant_log.hpp"

namespace sightline::target_thirdparty {

using sightline::plugin::Error;

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path) {
    throw Error("target-thirdparty: cannot " + what + " " + path + ": " + std::strerror(errno));
}

void write_all(int fd, const std::string& data, const std::string& path) {
    size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("write", path);
        }
        done += static_cast<size_t>(n);
    }
}

}  // namespace

TenantPaths::TenantPaths(const std::string& root_folder, const std::string& tenant)
    : root(root_folder),
      log(root_folder + "/" + tenant + ".log"),
      lock(root_folder + "/" + tenant + ".lock") {}

WriterLock::WriterLock(const TenantPaths& paths) {
    fd_ = ::open(paths.lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) fail("open the lock file", paths.lock);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            ::close(fd_);
            fail("lock", paths.lock);
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            ::close(fd_);
            throw Error("target-thirdparty: another writer holds " + paths.lock + " for 30 s",
                        /*transient=*/true);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

WriterLock::~WriterLock() { ::close(fd_); }  // closing releases the lock

PendingWrite::PendingWrite(const TenantPaths& paths, Mode mode, unsigned long long committed_bytes)
    : paths_(paths), mode_(mode), committed_bytes_(committed_bytes) {
    if (mode_ == Mode::append) {
        fd_ = ::open(paths_.log.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd_ < 0) fail("open", paths_.log);
        if (::ftruncate(fd_, static_cast<off_t>(committed_bytes_)) != 0 ||
            ::lseek(fd_, 0, SEEK_END) < 0) {
            ::close(fd_);
            fail("prepare", paths_.log);
        }
    } else {
        temporary_ = paths_.log + ".new";
        fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd_ < 0) fail("create", temporary_);
    }
}

PendingWrite::~PendingWrite() {
    if (committed_) return;
    // Taken back: the log ends at its last commit again, or the new file goes.
    if (mode_ == Mode::append) {
        if (::ftruncate(fd_, static_cast<off_t>(committed_bytes_)) != 0) {
            // The next writer truncates it; readers ignore records after the last commit.
        }
        ::close(fd_);
    } else {
        ::close(fd_);
        ::unlink(temporary_.c_str());
    }
}

void PendingWrite::write(const std::string& records) {
    buffer_ += records;
    if (buffer_.size() >= (1u << 20)) flush();
}

void PendingWrite::flush() {
    write_all(fd_, buffer_, mode_ == Mode::append ? paths_.log : temporary_);
    buffer_.clear();
}

void PendingWrite::commit() {
    buffer_ += kCommit;
    flush();
    if (::fsync(fd_) != 0) fail("sync", mode_ == Mode::append ? paths_.log : temporary_);
    if (mode_ == Mode::replace) {
        if (::rename(temporary_.c_str(), paths_.log.c_str()) != 0) fail("replace", paths_.log);
        sync_folder(paths_.root);
    }
    ::close(fd_);
    committed_ = true;
}

void sync_folder(const std::string& folder) {
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fail("open the folder", folder);
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) fail("sync the folder", folder);
}

std::string random_hex128() {
    unsigned char bytes[16];
    size_t filled = 0;
    while (filled < sizeof bytes) {
        const ssize_t n = ::getrandom(bytes + filled, sizeof bytes - filled, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw Error(std::string("target-thirdparty: no random bytes: ") + std::strerror(errno));
        }
        filled += static_cast<size_t>(n);
    }
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

}  // namespace sightline::target_thirdparty
