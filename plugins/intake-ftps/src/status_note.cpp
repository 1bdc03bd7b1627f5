#include "status_note.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

namespace sightline::intake_ftps {

namespace {

std::string utc_stamp(int64_t now_us) {
    const time_t seconds = static_cast<time_t>(now_us / 1000000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &tm);
    return text;
}

}  // namespace

void stamp_mtime(int fd, int64_t now_us) {
    const timespec times[2] = {
        {static_cast<time_t>(now_us / 1000000), static_cast<long>(now_us % 1000000) * 1000},
        {static_cast<time_t>(now_us / 1000000), static_cast<long>(now_us % 1000000) * 1000}};
    ::futimens(fd, times);
}

std::string note_name(int64_t now_us, const std::string& upload_name, const std::string& outcome) {
    const std::string prefix = utc_stamp(now_us) + "-";
    const std::string suffix = "." + outcome + ".txt";
    std::string name = upload_name;
    const size_t room = 255 - prefix.size() - suffix.size();
    if (name.size() > room) {
        size_t cut = room;
        // Back up over UTF-8 continuation bytes so the name stays valid UTF-8.
        while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xc0) == 0x80) --cut;
        name.resize(cut);
    }
    return prefix + name + suffix;
}

std::string one_line(const std::string& text, size_t max_bytes) {
    std::string out;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        out.push_back(u < 0x20 || u == 0x7f ? ' ' : c);
    }
    if (out.size() > max_bytes) {
        size_t cut = max_bytes;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xc0) == 0x80) --cut;
        out.resize(cut);
    }
    return out;
}

std::string write_note(const Landing& landing, const std::string& tenant, int64_t now_us,
                       const std::string& upload_name, const std::string& outcome,
                       const std::string& message) {
    Fd dir = landing.open_dir(tenant, Sub::status);
    if (!dir.valid()) return "";
    std::string body = upload_name + ": " + outcome + "\n";
    if (!message.empty()) body += message + (message.back() == '\n' ? "" : "\n");
    std::string name = note_name(now_us, upload_name, outcome);
    for (int attempt = 0; attempt < 100; ++attempt) {
        if (attempt > 0) {
            // Two notes for one name in the same second: keep both.
            name = note_name(now_us, upload_name + "-" + std::to_string(attempt), outcome);
        }
        Fd fd(::openat(dir.get(), name.c_str(),
                       O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
        if (!fd.valid()) {
            if (errno == EEXIST) continue;
            return "";
        }
        size_t done = 0;
        while (done < body.size()) {
            const ssize_t n = ::write(fd.get(), body.data() + done, body.size() - done);
            if (n <= 0) return "";
            done += static_cast<size_t>(n);
        }
        stamp_mtime(fd.get(), now_us);
        return name;
    }
    return "";
}

}  // namespace sightline::intake_ftps
