// Abuse limits kept across connections: address bans after failed logins, logged-in sessions
// per account, and the number of concurrent password verifications. Times
// are the host's clock (µs).
//
// Bans and connection counts (admission.hpp) are kept per *address key* (limit_key()), not per
// address: one IPv6 host is routinely given a whole /64, so counting each IPv6 address alone would
// give an attacker 2^64 fresh addresses.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <list>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace sightline::intake_ftps {

// The key limits and bans count an address under: an IPv4 address as itself, an IPv4-mapped
// IPv6 address (::ffff:a.b.c.d) as the IPv4 address, any other IPv6 address as its /64
// ("2001:db8:1:2::/64"). Text that is no address is its own key.
std::string limit_key(const std::string& address);

class BanList {
public:
    // Keys remembered at most: an attacker cycling through addresses (or /64s) cannot grow the
    // list beyond this; when full, the key whose last failure is oldest is forgotten first.
    static constexpr size_t kDefaultMaxKeys = 100'000;

    BanList(int64_t failures, int64_t window_us, int64_t ban_us, size_t max_keys = kDefaultMaxKeys)
        : failures_(failures), window_us_(window_us), ban_us_(ban_us), max_keys_(max_keys) {}

    // Records a failed login; true when this failure bans the address's key.
    bool record_failure(const std::string& address, int64_t now_us);
    void record_success(const std::string& address);
    bool banned(const std::string& address, int64_t now_us);
    // A reload: the new numbers apply to the next failure and check; bans already given keep
    // their end time.
    void set_limits(int64_t failures, int64_t window_us, int64_t ban_us);
    size_t size();  // keys remembered (tests)

private:
    struct State {
        // Times of the failures within the window, oldest first: at most ban_failures. A vector,
        // not a deque: libstdc++'s deque allocates 512 bytes for its first element, which made
        // 100,000 keys take 89 MB instead of 27.
        std::vector<int64_t> failures;
        int64_t banned_until = 0;
        std::list<std::string>::iterator age;  // position in by_age_
    };
    using States = std::unordered_map<std::string, State>;
    // Nothing left to remember: the ban ended and every failure left the window.
    bool forgettable(State& state, int64_t now_us) const;
    void forget(States::iterator it);

    std::mutex mutex_;  // guards everything below
    int64_t failures_;
    int64_t window_us_;
    int64_t ban_us_;
    const size_t max_keys_;
    States states_;
    std::list<std::string> by_age_;  // keys, the oldest last failure first
};

// Logged-in sessions per account. The limit is passed at each login (it is reloadable and
// lives in the settings snapshot); a lower limit ends no session, it refuses further logins.
class AccountSessions {
public:
    bool acquire(const std::string& user, int64_t limit);
    void release(const std::string& user);
    int64_t count(const std::string& user);

private:
    std::mutex mutex_;
    std::map<std::string, int64_t> sessions_;
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
