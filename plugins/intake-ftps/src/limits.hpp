// Abuse limits kept across connections: address bans after failed logins, connection counts,
// and the number of concurrent password verifications. Times are the host's clock (µs).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace sightline::intake_ftps {

class BanList {
public:
    BanList(int64_t failures, int64_t window_us, int64_t ban_us)
        : failures_(failures), window_us_(window_us), ban_us_(ban_us) {}

    // Records a failed login; true when this failure bans the address.
    bool record_failure(const std::string& address, int64_t now_us);
    void record_success(const std::string& address);
    bool banned(const std::string& address, int64_t now_us);
    // A reload: the new numbers apply to the next failure and check; bans already given keep
    // their end time.
    void set_limits(int64_t failures, int64_t window_us, int64_t ban_us);

private:
    struct State {
        std::deque<int64_t> failures;
        int64_t banned_until = 0;
    };
    std::mutex mutex_;  // guards everything below
    int64_t failures_;
    int64_t window_us_;
    int64_t ban_us_;
    std::map<std::string, State> states_;
};

class ConnectionLimiter {
public:
    enum class Verdict { ok, total, per_address };
    ConnectionLimiter(int64_t max_total, int64_t max_per_address)
        : max_total_(max_total), max_per_address_(max_per_address) {}

    Verdict acquire(const std::string& address);
    void release(const std::string& address);
    // A reload: lower limits close no connection, they refuse new ones until enough ended.
    void set_limits(int64_t max_total, int64_t max_per_address);

private:
    std::mutex mutex_;  // guards everything below
    int64_t max_total_;
    int64_t max_per_address_;
    int64_t total_ = 0;
    std::map<std::string, int64_t> per_address_;
};

// scrypt takes 16 MiB and a core per verification: cap how many run at once.
class Semaphore {
public:
    explicit Semaphore(int64_t count) : count_(count) {}
    void acquire();
    void release();

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    int64_t count_;
};

}  // namespace sightline::intake_ftps
