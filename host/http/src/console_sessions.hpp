// The console's operator sessions and its login throttle, in memory (a restart logs everyone
// out). The clock is injected so that timeouts and bans can be tested without waiting.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

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
class LoginThrottle {
public:
    explicit LoginThrottle(core::Clock clock, ThrottleLimits limits = {});
    // Microseconds the address must still wait before it may try; 0 when it may try now.
    int64_t wait_us(const std::string& address);
    bool banned(const std::string& address);
    // Records a failure; true when this failure bans the address.
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
    core::Clock clock_;
    ThrottleLimits limits_;
    std::mutex mutex_;
    std::map<std::string, Entry> entries_;
};

}  // namespace sightline::http::detail
