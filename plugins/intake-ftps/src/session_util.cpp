#include "session_util.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <memory>
#include <vector>

namespace sightline::intake_ftps {

std::string time_text(int64_t seconds, const char* format) {
    const time_t t = static_cast<time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[64];
    std::strftime(text, sizeof text, format, &tm);
    return text;
}

Sub sub_of(Place place) {
    switch (place) {
        case Place::full_dir:
        case Place::full_upload:
            return Sub::full;
        case Place::status_dir:
        case Place::status_note:
            return Sub::status;
        default:
            return Sub::root;
    }
}

std::string hex(const unsigned char* data, size_t size) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < size; ++i) {
        out.push_back(digits[data[i] >> 4]);
        out.push_back(digits[data[i] & 15]);
    }
    return out;
}

bool file_sha256(int dir_fd, const std::string& name, std::string& digest_hex, int64_t& bytes) {
    Fd fd(::openat(dir_fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid()) return false;
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> sha(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    EVP_DigestInit_ex(sha.get(), EVP_sha256(), nullptr);
    std::vector<char> buffer(256 * 1024);
    bytes = 0;
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) break;
        EVP_DigestUpdate(sha.get(), buffer.data(), static_cast<size_t>(n));
        bytes += n;
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_DigestFinal_ex(sha.get(), digest, &size);
    digest_hex = hex(digest, size);
    return true;
}

std::string quote_path(const std::string& path) {
    std::string out = "\"";
    for (char c : path) {
        out.push_back(c);
        if (c == '"') out.push_back('"');  // RFC 959: embedded quotes are doubled
    }
    return out + "\"";
}

}  // namespace sightline::intake_ftps
