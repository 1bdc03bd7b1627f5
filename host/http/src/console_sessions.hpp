// The console's operator sessions and its login throttle, in memory (a restart logs everyone
// out). The clock is injected so that timeouts and bans can be tested without waiting.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sightline/core/runtime.hpp"

namespace sightline::http::detail {

struct SessionLimits {
    int64_t idle_us = 30LL * 60 * 1'000'000;        // ends 30 min after the last request
    int64_t absolute_us = 12LL * 3600 * 1'000'000;  // and 12 h after the login, whatever happens
};

class ConsoleSessions {
public:
    explicit ConsoleSessions(core::Clock clock, SessionLimits limits = {});
    // A new session for the operator: 256 random bits (RAND_bytes) as 64 hex digits.
    std::string create(const std::string& operator_name);
    // The operator of a live session (and the session's idle time restarts); nullopt when the id
    // is unknown or the session timed out (it is forgotten then).
    std::optional<std::string> find(const std::string& id);
    void remove(const std::string& id);
    // Ends every session of an operator (disabled while logged in).
    void remove_operator(const std::string& operator_name);

private:
    struct Session {
        std::string operator_name;
        int64_t created_us = 0, seen_us = 0;
    };
    void expire(int64_t now);
    core::Clock clock_;
    SessionLimits limits_;
    std::mutex mutex_;
    // Keyed by the SHA-256 of the id: the ids themselves are nowhere in memory but the cookie.
    std::map<std::string, Session> sessions_;
};

struct ThrottleLimits {
    int free_failures = 2;                      // failures before any wait
    int64_t first_delay_us = 1'000'000;         // then 1 s, 2 s, 4 s... between attempts
    int64_t max_delay_us = 30'000'000;          // at most
    int ban_after = 10;                         // failures within the window: a ban
    int64_t window_us = 15LL * 60 * 1'000'000;  // failures older than this are forgotten
    int64_t ban_us = 15LL * 60 * 1'000'000;
};

// Failed logins per address: after a few, the address must wait longer and longer before its
// next attempt (answered 429 at once, so no worker thread sleeps), and after ban_after within
// the window it is banned for ban_us.
//
// An attempt is reserved before its password is verified (reserve(): the check and the count in
// one step under the lock), so parallel attempts from one address see each other: however many
// arrive at once, at most free_failures + 1 of them are verified before the first wait applies.
class LoginThrottle {
public:
    explicit LoginThrottle(core::Clock clock, ThrottleLimits limits = {});
    // Microseconds the address must still wait before it may try; 0 when it may try now. A
    // check only: it reserves nothing (a cheap early refusal before the body is read).
    int64_t wait_us(const std::string& address);
    // Checks and reserves one attempt at once: 0 when the attempt may go ahead (it counts as a
    // failure from now on, until record_success), else the microseconds to wait (nothing is
    // counted then).
    int64_t reserve(const std::string& address);
    bool banned(const std::string& address);
    // A reserved attempt failed (it is counted already): the wait restarts from now; true when
    // this failure bans the address.
    bool record_failure(const std::string& address);
    void record_success(const std::string& address);

private:
    struct Entry {
        int failures = 0;
        int64_t last_us = 0;
        int64_t next_try_us = 0;
        int64_t banned_until = 0;
    };
    void forget_old(int64_t now);
    int64_t delay_after(int failures) const;
    core::Clock clock_;
    ThrottleLimits limits_;
    std::mutex mutex_;
    std::map<std::string, Entry> entries_;
};

struct LockoutLimits {
    int lock_after = 5;                           // failures of one operator within the window
    int64_t window_us = 15LL * 60 * 1'000'000;    // (from any addresses) lock it
    int64_t first_lock_us = 60LL * 1'000'000;     // for 1 min, then 2, 4, 8 ...
    int64_t max_lock_us = 15LL * 60 * 1'000'000;  // at most 15 min per lock
    int64_t forget_after_us = 24LL * 3600 * 1'000'000;  // a day without failures: level 0 again
    int64_t trusted_us = 30LL * 86400 * 1'000'000;      // an address it logged in from, 30 days:
    size_t trusted_per_operator = 16;                   // exempt (its 16 latest addresses)
};

struct LockoutVerdict {
    int64_t locked_us = 0;   // > 0: the operator is locked for this address; nothing was counted
    bool locks_now = false;  // this attempt is the one that locked the operator
    int64_t lock_length_us = 0;  // for how long, then
};

// Failed logins per operator, counted across addresses (a distributed guesser spreads over many
// addresses; the per-address throttle alone would not stop it). lock_after failures within
// window_us lock the operator for first_lock_us, doubling with every further lock up to
// max_lock_us; a successful login resets everything. A lock is a denial-of-service lever
// against the operator, so it never applies to an address the operator logged in from
// successfully within trusted_us (kept in memory: a restart forgets them), and attempts from
// such an address are not counted either. Only names of configured operators are kept, so the
// memory is bounded by the profile.
class OperatorLockout {
public:
    explicit OperatorLockout(core::Clock clock, LockoutLimits limits = {});
    // Checks and counts one attempt for the operator from the address in one step (parallel
    // attempts see each other): see LockoutVerdict.
    LockoutVerdict reserve(const std::string& name, const std::string& address);
    // A successful login: the count and the lock level reset, and the address is trusted.
    void record_success(const std::string& name, const std::string& address);
    // Microseconds the operator stays locked for the address (0: not locked). For tests and logs.
    int64_t locked_us(const std::string& name, const std::string& address);

private:
    struct Entry {
        std::vector<int64_t> failures;  // times of failures within the window
        int level = 0;                  // locks given since the last success (or quiet day)
        int64_t locked_until = 0;
        int64_t last_failure_us = 0;
        std::map<std::string, int64_t> trusted;  // address -> last successful login
    };
    bool trusted(Entry& e, const std::string& address, int64_t now) const;
    core::Clock clock_;
    LockoutLimits limits_;
    std::mutex mutex_;
    std::map<std::string, Entry> entries_;
};

// scrypt takes 16 MiB and a core per verification: at most this many run at once (the others
// wait for a slot), so that parallel logins cannot take the memory of the host.
class VerificationSlots {
public:
    explicit VerificationSlots(int count);
    class Slot {
    public:
        explicit Slot(VerificationSlots& slots);
        ~Slot();
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;

    private:
        VerificationSlots& slots_;
    };
    // The most that ever ran at once (for tests).
    int peak() const;

private:
    mutable std::mutex mutex_;
    std::condition_variable free_;
    int count_;
    int running_ = 0;
    int peak_ = 0;
};

}  // namespace sightline::http::detail
