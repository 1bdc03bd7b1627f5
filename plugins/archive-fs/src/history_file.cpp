#include "history_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <nlohmann/json.hpp>

#include "posix_file.hpp"

namespace sightline::archive_fs {

using sightline::plugin::Error;

namespace {

// Holds a flock for the lifetime of the object; the lock goes with the descriptor's close too.
class FileLock {
public:
    FileLock(int fd, int operation, const std::string& path) : fd_(fd) {
        while (::flock(fd_, operation) != 0) {
            if (errno != EINTR) throw_errno("lock", path);
        }
    }
    ~FileLock() { ::flock(fd_, LOCK_UN); }
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

private:
    int fd_;
};

// Returns the size the file should have: up to and including its last '\n'.
off_t complete_length(int fd, off_t size, const std::string& path) {
    char buffer[4096];
    off_t end = size;
    while (end > 0) {
        const off_t start = end > static_cast<off_t>(sizeof buffer) ? end - sizeof buffer : 0;
        const auto want = static_cast<size_t>(end - start);
        const ssize_t n = ::pread(fd, buffer, want, start);
        if (n != static_cast<ssize_t>(want)) throw_errno("read", path);
        for (size_t i = want; i > 0; --i) {
            if (buffer[i - 1] == '\n') return start + static_cast<off_t>(i);
        }
        end = start;
    }
    return 0;
}

}  // namespace

void append_history_line(const std::string& path, const std::string& json,
                         const HistoryOptions& options) {
    if (json.find_first_of("\r\n") != std::string::npos) {
        throw Error(
            "archive-fs: a history entry must be one line of JSON; this one has a line "
            "break");
    }
    if (!nlohmann::json::accept(json)) {
        throw Error("archive-fs: a history entry must be a JSON document: " + json.substr(0, 80));
    }

    struct stat before {};
    const bool existed = ::stat(path.c_str(), &before) == 0;
    const UniqueFd fd = open_or_throw(path, O_WRONLY | O_APPEND | O_CREAT, 0600);
    const FileLock lock(fd.get(), LOCK_EX, path);

    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) throw_errno("inspect", path);
    if (st.st_size > 0) {
        // A second, read-only descriptor for the check: the append one is write-only.
        const UniqueFd reader = open_or_throw(path, O_RDONLY);
        const off_t keep = complete_length(reader.get(), st.st_size, path);
        if (keep != st.st_size) {
            if (::ftruncate(fd.get(), keep) != 0) throw_errno("repair", path);
            if (options.host) {
                options.host->log(
                    sightline::plugin::LogLevel::warn, "archive.history_torn_line_removed",
                    {{"tenant", options.tenant}, {"bytes", std::to_string(st.st_size - keep)}});
            }
        }
    }

    std::string line = json;
    line.push_back('\n');
    write_all(fd.get(), line.data(), line.size(), path);
    if (options.fsync) {
        fsync_or_throw(fd.get(), path);
        if (!existed) fsync_directory(parent_of(path));
    }
}

std::vector<std::string> read_history_lines(const std::string& path) {
    std::vector<std::string> lines;
    int raw = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (raw < 0) {
        if (errno == ENOENT) return lines;
        throw_errno("open", path);
    }
    const UniqueFd fd(raw);
    const FileLock lock(fd.get(), LOCK_SH, path);

    std::string pending;
    char buffer[65536];
    for (;;) {
        const size_t n = read_some(fd.get(), buffer, sizeof buffer, path);
        if (n == 0) break;
        size_t start = 0;
        for (size_t i = 0; i < n; ++i) {
            if (buffer[i] != '\n') continue;
            pending.append(buffer + start, i - start);
            lines.push_back(std::move(pending));
            pending.clear();
            start = i + 1;
        }
        pending.append(buffer + start, n - start);
    }
    return lines;  // `pending` is a torn line: never acknowledged, not part of the history
}

}  // namespace sightline::archive_fs
