#include "console_sessions.hpp"

#include <openssl/rand.h>

#include <algorithm>
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

int64_t LoginThrottle::delay_after(int failures) const {
    if (failures <= limits_.free_failures) return 0;
    int64_t delay = limits_.first_delay_us;
    for (int i = limits_.free_failures + 1; i < failures && delay < limits_.max_delay_us; ++i)
        delay *= 2;
    return std::min(delay, limits_.max_delay_us);
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

int64_t LoginThrottle::reserve(const std::string& address) {
    const int64_t now = clock_();
    std::lock_guard<std::mutex> lock(mutex_);
    forget_old(now);
    Entry& e = entries_[address];
    const int64_t until = std::max(e.next_try_us, e.banned_until);
    if (until > now) return until - now;
    // Counted before the password is checked: the next attempt, parallel or not, sees it.
    ++e.failures;
    e.last_us = now;
    if (const int64_t delay = delay_after(e.failures); delay > 0) e.next_try_us = now + delay;
    return 0;
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
    Entry& e = entries_[address];
    // Gone only when a parallel login from the address succeeded meanwhile: count this one anew.
    if (e.failures == 0 && e.banned_until <= now) e.failures = 1;
    e.last_us = now;
    // The wait runs from the failure, not from the reservation (a slow check must not shorten it).
    if (const int64_t delay = delay_after(e.failures); delay > 0) e.next_try_us = now + delay;
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

OperatorLockout::OperatorLockout(core::Clock clock, LockoutLimits limits)
    : clock_(std::move(clock)), limits_(limits) {}

bool OperatorLockout::trusted(Entry& e, const std::string& address, int64_t now) const {
    auto it = e.trusted.find(address);
    if (it == e.trusted.end()) return false;
    if (now - it->second < limits_.trusted_us) return true;
    e.trusted.erase(it);
    return false;
}

LockoutVerdict OperatorLockout::reserve(const std::string& name, const std::string& address) {
    const int64_t now = clock_();
    std::lock_guard<std::mutex> lock(mutex_);
    Entry& e = entries_[name];
    if (trusted(e, address, now)) return {};
    if (e.locked_until > now) return {e.locked_until - now, false};
    if (e.last_failure_us > 0 && now - e.last_failure_us >= limits_.forget_after_us) e.level = 0;
    auto& f = e.failures;
    f.erase(
        std::remove_if(f.begin(), f.end(), [&](int64_t t) { return now - t >= limits_.window_us; }),
        f.end());
    // Counted before the password is checked (see LoginThrottle::reserve); a success resets it.
    f.push_back(now);
    e.last_failure_us = now;
    if (static_cast<int>(f.size()) < limits_.lock_after) return {};
    int64_t lock_us = limits_.first_lock_us;
    for (int i = 0; i < e.level && lock_us < limits_.max_lock_us; ++i) lock_us *= 2;
    lock_us = std::min(lock_us, limits_.max_lock_us);
    e.locked_until = now + lock_us;
    ++e.level;
    f.clear();  // after the lock, the count starts again
    return {0, true, lock_us};
}

void OperatorLockout::record_success(const std::string& name, const std::string& address) {
    const int64_t now = clock_();
    std::lock_guard<std::mutex> lock(mutex_);
    Entry& e = entries_[name];
    e.failures.clear();
    e.level = 0;
    e.locked_until = 0;
    e.last_failure_us = 0;
    e.trusted[address] = now;
    while (e.trusted.size() > limits_.trusted_per_operator) {
        auto oldest = e.trusted.begin();
        for (auto it = e.trusted.begin(); it != e.trusted.end(); ++it)
            if (it->second < oldest->second) oldest = it;
        e.trusted.erase(oldest);
    }
}

int64_t OperatorLockout::locked_us(const std::string& name, const std::string& address) {
    const int64_t now = clock_();
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(name);
    if (it == entries_.end() || trusted(it->second, address, now)) return 0;
    return it->second.locked_until > now ? it->second.locked_until - now : 0;
}

VerificationSlots::VerificationSlots(int count) : count_(std::max(1, count)) {}

VerificationSlots::Slot::Slot(VerificationSlots& slots) : slots_(slots) {
    std::unique_lock<std::mutex> lock(slots_.mutex_);
    slots_.free_.wait(lock, [&] { return slots_.running_ < slots_.count_; });
    ++slots_.running_;
    slots_.peak_ = std::max(slots_.peak_, slots_.running_);
}

VerificationSlots::Slot::~Slot() {
    {
        std::lock_guard<std::mutex> lock(slots_.mutex_);
        --slots_.running_;
    }
    slots_.free_.notify_one();
}

int VerificationSlots::peak() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return peak_;
}

}  // namespace sightline::http::detail
