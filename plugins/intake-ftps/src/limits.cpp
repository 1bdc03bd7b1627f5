#include "limits.hpp"

namespace sightline::intake_ftps {

bool BanList::record_failure(const std::string& address, int64_t now_us) {
    std::lock_guard<std::mutex> lock(mutex_);
    State& state = states_[address];
    state.failures.push_back(now_us);
    while (!state.failures.empty() && state.failures.front() <= now_us - window_us_) {
        state.failures.pop_front();
    }
    if (static_cast<int64_t>(state.failures.size()) >= failures_) {
        state.failures.clear();
        state.banned_until = now_us + ban_us_;
        return true;
    }
    return false;
}

void BanList::set_limits(int64_t failures, int64_t window_us, int64_t ban_us) {
    std::lock_guard<std::mutex> lock(mutex_);
    failures_ = failures;
    window_us_ = window_us;
    ban_us_ = ban_us;
}

void BanList::record_success(const std::string& address) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = states_.find(address);
    if (it != states_.end() && it->second.banned_until == 0) states_.erase(it);
}

bool BanList::banned(const std::string& address, int64_t now_us) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = states_.find(address);
    if (it == states_.end()) return false;
    if (it->second.banned_until > now_us) return true;
    it->second.banned_until = 0;
    // Forget addresses with nothing left to remember, so the map does not grow forever.
    while (!it->second.failures.empty() && it->second.failures.front() <= now_us - window_us_) {
        it->second.failures.pop_front();
    }
    if (it->second.failures.empty()) states_.erase(it);
    return false;
}

ConnectionLimiter::Verdict ConnectionLimiter::acquire(const std::string& address) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (total_ >= max_total_) return Verdict::total;
    int64_t& mine = per_address_[address];
    if (mine >= max_per_address_) return Verdict::per_address;
    ++mine;
    ++total_;
    return Verdict::ok;
}

void ConnectionLimiter::set_limits(int64_t max_total, int64_t max_per_address) {
    std::lock_guard<std::mutex> lock(mutex_);
    max_total_ = max_total;
    max_per_address_ = max_per_address;
}

void ConnectionLimiter::release(const std::string& address) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = per_address_.find(address);
    if (it == per_address_.end()) return;
    --total_;
    if (--it->second <= 0) per_address_.erase(it);
}

void Semaphore::acquire() {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [this] { return count_ > 0; });
    --count_;
}

void Semaphore::release() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        ++count_;
    }
    cv_.notify_one();
}

}  // namespace sightline::intake_ftps
