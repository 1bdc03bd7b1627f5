#include "sightline/core/audit_log.hpp"
#include "sightline/core/private_files.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <utility>

namespace fs = std::filesystem;

namespace sightline::core {

namespace {

// The catalogue: which events are audited, as which kind. Everything else stays in the
// operational log only.
struct Audited {
    std::string_view event, kind;
};
constexpr Audited kCatalogue[] = {
    {"intake_ftps.upload", "upload"},
    {"load.finished", "load"},
    {"load.duplicate", "load"},
    {"load.refused", "load"},
    {"load.failed", "load"},
    {"delete.done", "deletion"},
    {"delete.failed", "deletion"},
    {"restore.finished", "restore"},
    {"restore.failed", "restore"},
    {"segment.changed", "segment_change"},
    {"segments.restored", "segment_change"},
    {"segment.evaluated", "segment_evaluation"},
    {"report.served", "report_access"},
    {"report.refused", "report_access"},
    {"intake_ftps.login_failed", "login_failure"},
    {"console.login_failed", "login_failure"},
    {"intake_ftps.banned", "ban"},
    {"console.banned", "ban"},
    {"console.login", "operator"},
    {"console.logout", "operator"},
    {"console.refused", "operator"},
    {"operator.disabled", "operator"},
    {"operator.enabled", "operator"},
    {"serve.reloaded", "operator"},
    {"serve.reload_failed", "operator"},
};

// Events whose "customers" field is a count, not ids: kept under a name the filter allows.
constexpr std::string_view kCustomerCounts[] = {"delete.done", "segment.evaluated"};

bool all_digits(const std::string& s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

// RFC 3339, UTC, always with microseconds, so lines sort as text.
std::string rfc3339_us(int64_t at_us) {
    int64_t secs = at_us / 1'000'000, micros = at_us % 1'000'000;
    if (micros < 0) {
        micros += 1'000'000;
        --secs;
    }
    const std::time_t t = static_cast<std::time_t>(secs);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[96];  // room for any int the compiler imagines
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<long long>(micros));
    return buf;
}

[[noreturn]] void fail(const std::string& what, const std::string& path) {
    throw std::runtime_error("audit log: cannot " + what + " " + path + ": " +
                             std::strerror(errno));
}

// Holds an exclusive flock on <audit file>.lock while a process rotates.
struct RotationLock {
    int fd = -1;
    explicit RotationLock(const std::string& path) {
        fd = ::open((path + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd >= 0) ::flock(fd, LOCK_EX);
    }
    ~RotationLock() {
        if (fd >= 0) ::close(fd);  // releases the lock
    }
};

}  // namespace

std::string_view AuditLog::kind_of(std::string_view event) {
    for (const auto& a : kCatalogue)
        if (a.event == event) return a.kind;
    return {};
}

bool AuditLog::forbidden_field(std::string_view name) {
    std::string lower(name);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "customer" || lower == "customers") return true;
    for (const char* secret :
         {"password", "passwd", "token", "secret", "key", "authorization", "cookie", "credential"})
        if (lower.find(secret) != std::string::npos) return true;
    return false;
}

std::string AuditLog::render(int64_t at_us, std::string_view name,
                             const plugin::LogFields& fields) {
    const std::string_view kind = kind_of(name);
    if (kind.empty()) return {};
    // Ordered: ts, kind and event lead every line, for people reading it with less or grep.
    nlohmann::ordered_json line = {
        {"ts", rfc3339_us(at_us)}, {"kind", std::string(kind)}, {"event", std::string(name)}};
    const bool counts = std::find(std::begin(kCustomerCounts), std::end(kCustomerCounts), name) !=
                        std::end(kCustomerCounts);
    for (const auto& [key, value] : fields) {
        if (key == "ts" || key == "kind" || key == "event") continue;
        if ((key == "customers") && counts && all_digits(value)) {
            line["customer_count"] = value;
            continue;
        }
        // Defence in depth: callers pass no secrets and no ids, and these names never pass.
        if (forbidden_field(key)) continue;
        line[key] = value;
    }
    return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

AuditLog::AuditLog(const AuditSettings& settings, std::string path, Clock clock)
    : settings_(settings), path_(std::move(path)), clock_(std::move(clock)) {
    const fs::path parent = fs::path(path_).parent_path();
    if (!parent.empty() && !fs::exists(parent)) {
        make_private_folder(parent.string());
    }
    std::lock_guard<std::mutex> lock(mutex_);
    open_locked();
    thread_ = std::thread([this] { flusher(); });
}

AuditLog::~AuditLog() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    sync();
    if (fd_ >= 0) ::close(fd_);
}

void AuditLog::open_locked() {
    const int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) fail("open", path_);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        ::close(fd);
        fail("stat", path_);
    }
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
    dev_ = st.st_dev;
    ino_ = st.st_ino;
}

// Another process rotated (or someone moved the file away): lines go to the file at the path.
void AuditLog::reopen_if_moved_locked() {
    struct stat st {};
    if (::stat(path_.c_str(), &st) != 0 || st.st_dev != dev_ || st.st_ino != ino_) {
        if (fd_ >= 0 && dirty_since_us_ >= 0) ::fsync(fd_);
        open_locked();
    }
}

void AuditLog::rotate_locked(size_t incoming) {
    RotationLock rotation(path_);
    // Checked again under the lock: another process may have rotated meanwhile.
    reopen_if_moved_locked();
    struct stat st {};
    if (::fstat(fd_, &st) != 0) fail("stat", path_);
    if (st.st_size == 0 || st.st_size + static_cast<int64_t>(incoming) <= settings_.max_bytes)
        return;
    ::fsync(fd_);
    const int keep = std::max(1, settings_.keep);
    for (int i = keep - 1; i >= 1; --i) {
        const std::string from = path_ + "." + std::to_string(i);
        if (::access(from.c_str(), F_OK) == 0)
            ::rename(from.c_str(), (path_ + "." + std::to_string(i + 1)).c_str());
    }
    if (::rename(path_.c_str(), (path_ + ".1").c_str()) != 0) fail("rotate", path_);
    open_locked();
    const fs::path parent = fs::path(path_).parent_path();
    const int dir = ::open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

void AuditLog::on_event(int64_t at_us, plugin::LogLevel, std::string_view name,
                        const plugin::LogFields& fields) {
    std::string line = render(at_us, name, fields);
    if (line.empty()) return;
    line += '\n';
    std::lock_guard<std::mutex> lock(mutex_);
    reopen_if_moved_locked();
    struct stat st {};
    if (::fstat(fd_, &st) == 0 &&
        st.st_size + static_cast<int64_t>(line.size()) > settings_.max_bytes)
        rotate_locked(line.size());
    // One write of the whole line: O_APPEND keeps other processes' lines from interleaving.
    size_t done = 0;
    while (done < line.size()) {
        const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("write", path_);
        }
        done += static_cast<size_t>(n);
    }
    if (settings_.fsync_interval_ms <= 0) {
        ::fsync(fd_);
        ++syncs_;
        return;
    }
    if (dirty_since_us_ < 0) {
        dirty_since_us_ = clock_();
        wake_.notify_all();
    }
}

void AuditLog::sync_if_due() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (dirty_since_us_ < 0) return;
    if (clock_() - dirty_since_us_ < int64_t{settings_.fsync_interval_ms} * 1000) return;
    ::fsync(fd_);
    ++syncs_;
    dirty_since_us_ = -1;
}

void AuditLog::sync() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (dirty_since_us_ < 0 || fd_ < 0) return;
    ::fsync(fd_);
    ++syncs_;
    dirty_since_us_ = -1;
}

uint64_t AuditLog::syncs() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return syncs_;
}

void AuditLog::flusher() {
    const auto interval = std::chrono::milliseconds(std::max(1, settings_.fsync_interval_ms));
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
        if (dirty_since_us_ < 0)
            wake_.wait(lock, [this] { return stopping_ || dirty_since_us_ >= 0; });
        else
            wake_.wait_for(lock, interval, [this] { return stopping_; });
        if (stopping_) break;
        lock.unlock();
        sync_if_due();
        lock.lock();
    }
}

}  // namespace sightline::core
