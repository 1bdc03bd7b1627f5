#include "secrets.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "sightline/plugin/api.hpp"

namespace sightline::target_pg {

using sightline::plugin::Error;

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path) {
    throw Error(what + " " + path + ": " + std::strerror(errno));
}

// A half-written temporary file is removed; the message keeps the error that stopped it.
[[noreturn]] void abandon(int fd, const std::string& temporary, const char* what = "cannot write") {
    const int error = errno;
    if (fd >= 0) ::close(fd);
    ::unlink(temporary.c_str());
    errno = error;
    fail(what, temporary);
}

}  // namespace

std::string random_password() {
    unsigned char bytes[32];
    size_t filled = 0;
    while (filled < sizeof bytes) {
        const ssize_t n = getrandom(bytes + filled, sizeof bytes - filled, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw Error(std::string("cannot get random bytes: ") + std::strerror(errno));
        }
        filled += static_cast<size_t>(n);
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : bytes) {
        out.push_back(kHex[b >> 4]);
        out.push_back(kHex[b & 15]);
    }
    return out;
}

void ensure_private_dir(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (!ec) fs::permissions(dir, fs::perms::owner_all, ec);
    if (ec) throw Error("cannot create the secrets folder " + dir + ": " + ec.message());
}

std::optional<std::string> read_secret(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT) return std::nullopt;
        fail("cannot open", path);
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        ::close(fd);
        fail("cannot stat", path);
    }
    if ((st.st_mode & 077) != 0) {
        ::close(fd);
        throw Error("password file " + path + " is readable by others (mode must be 0600)");
    }
    std::string value;
    char buffer[256];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            ::close(fd);
            fail("cannot read", path);
        }
        if (n == 0) break;
        value.append(buffer, static_cast<size_t>(n));
    }
    ::close(fd);
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
    if (value.empty()) return std::nullopt;  // a torn or emptied file: make a new password
    return value;
}

void write_secret(const std::string& path, const std::string& value) {
    // A name of our own, created afresh: nothing already there (a planted file keeping its
    // mode, a link) is ever written through.
    const std::string temporary = path + ".tmp-" + random_password().substr(0, 16);
    const int fd =
        ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) fail("cannot create", temporary);
    const std::string content = value + "\n";
    size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) abandon(fd, temporary);
        written += static_cast<size_t>(n);
    }
    if (::fchmod(fd, 0600) != 0 || ::fsync(fd) != 0) abandon(fd, temporary);
    ::close(fd);
    if (::rename(temporary.c_str(), path.c_str()) != 0) abandon(-1, temporary, "cannot rename");
}

void remove_secret(const std::string& path) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) fail("cannot remove", path);
}

}  // namespace sightline::target_pg
