#include "console_sessions.hpp"

#include <openssl/rand.h>

#include <stdexcept>

#include "sightline/core/sha256.hpp"

namespace sightline::http::detail {

ConsoleSessions::ConsoleSessions(core::Clock clock, SessionLimits limits)
    : clock_(std::move(clock)), limits_(limits) {}

std::string ConsoleSessions::create(const std::string& operator_name) {
    unsigned char bytes[32];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        throw std::runtime_error("the random number generator failed");
    static const char hex[] = "0123456789abcdef";
    std::string id;
    for (unsigned char b : bytes) {
        id += hex[b >> 4];
        id += hex[b & 15];
    }
    const int64_t now = clock_();
    std::lock_guard<std::mutex> lock(mutex_);
    expire(now);
    sessions_[core::sha256_hex(id)] = Session{operator_name, now, now};
    return id;
}

std::optional<std::string> ConsoleSessions::find(const std::string& id) {
    if (id.size() != 64) return std::nullopt;
    const int64_t now = clock_();
    std::lock_guard<std::mutex> lock(mutex_);
    expire(now);
    auto it = sessions_.find(core::sha256_hex(id));
    if (it == sessions_.end()) return std::nullopt;
    it->second.seen_us = now;
    return it->second.operator_name;
}

void ConsoleSessions::remove(const std::string& id) {
    std::lock_guard<std::mutex> lock(mutex_);
    sessions_.erase(core::sha256_hex(id));
}

void ConsoleSessions::remove_operator(const std::string& operator_name) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = sessions_.begin(); it != sessions_.end();)
        it = it->second.operator_name == operator_name ? sessions_.erase(it) : std::next(it);
}

void ConsoleSessions::expire(int64_t now) {
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        const bool idle = now - it->second.seen_us >= limits_.idle_us;
        const bool old = now - it->second.created_us >= limits_.absolute_us;
        it = idle || old ? sessions_.erase(it) : std::next(it);
    }
}

LoginThrottle::LoginThrottle(core::Clock clock, ThrottleLimits limits)
    : clock_(std::move(clock)), limits_(limits) {}

void LoginThrottle::forget_old(int64_t now) {
    for (auto it = entries_.begin(); it != entries_.end();) {
        const bool stale =
            now - it->second.last_us >= limits_.window_us && now >= it->second.banned_until;
        it = stale ? entries_.erase(it) : std::next(it);
    }
}

int64_t LoginThrottle::wait_us(const std::string& address) {
    const int64_t now = clock_();
    std::lock_guard<std::mutex> lock(mutex_);
    forget_old(now);
    auto it = entries_.find(address);
    if (it == entries_.end()) return 0;
    const int64_t until = std::max(it->second.next_try_us, it->second.banned_until);
    return until > now ? until - now : 0;
}

bool LoginThrottle::banned(const std::string& address) {
    const int64_t now = clock_();
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(address);
    return it != entries_.end() && it->second.banned_until > now;
}

bool LoginThrottle::record_failure(const std::string& address) {
    const int64_t now = clock_();
    std::lock_guard<std::mutex> lock(mutex_);
    forget_old(now);
    Entry& e = entries_[address];
    ++e.failures;
    e.last_us = now;
    if (e.failures > limits_.free_failures) {
        int64_t delay = limits_.first_delay_us;
        for (int i = limits_.free_failures + 1; i < e.failures && delay < limits_.max_delay_us; ++i)
            delay *= 2;
        e.next_try_us = now + std::min(delay, limits_.max_delay_us);
    }
    if (e.failures >= limits_.ban_after && e.banned_until <= now) {
        e.banned_until = now + limits_.ban_us;
        e.failures = 0;  // after the ban, the count starts again
        return true;
    }
    return false;
}

void LoginThrottle::record_success(const std::string& address) {
    std::lock_guard<std::mutex> lock(mutex_);
    entries_.erase(address);
}

}  // namespace sightline::http::detail
