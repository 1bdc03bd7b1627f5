#include "limits.hpp"

#include <boost/asio/ip/address.hpp>

namespace sightline::intake_ftps {

std::string limit_key(const std::string& address) {
    boost::system::error_code ec;
    const auto parsed = boost::asio::ip::make_address(address, ec);
    if (ec) return address;
    if (parsed.is_v4()) return parsed.to_v4().to_string();
    const auto v6 = parsed.to_v6();
    if (v6.is_v4_mapped()) {
        return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_string();
    }
    auto bytes = v6.to_bytes();
    for (size_t i = 8; i < bytes.size(); ++i) bytes[i] = 0;
    return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

namespace {

// Removes the times up to and including cutoff (the vector is in time order).
void drop_before(std::vector<int64_t>& times, int64_t cutoff) {
    auto end = times.begin();
    while (end != times.end() && *end <= cutoff) ++end;
    times.erase(times.begin(), end);
}

}  // namespace

bool BanList::forgettable(State& state, int64_t now_us) const {
    if (state.banned_until > now_us) return false;
    drop_before(state.failures, now_us - window_us_);
    return state.failures.empty();
}

void BanList::forget(States::iterator it) {
    by_age_.erase(it->second.age);
    states_.erase(it);
}

bool BanList::record_failure(const std::string& address, int64_t now_us) {
    const std::string key = limit_key(address);
    std::lock_guard<std::mutex> lock(mutex_);
    // Forget what has expired, oldest first: by_age_ is ordered by last failure, so this stops
    // at the first key still remembered and costs nothing when nothing expired.
    while (!by_age_.empty()) {
        auto oldest = states_.find(by_age_.front());
        if (!forgettable(oldest->second, now_us)) break;
        forget(oldest);
    }
    auto it = states_.find(key);
    if (it == states_.end()) {
        // The hard bound: a new key beyond it pushes out the one whose last failure is oldest,
        // even if still banned (an attacker with that many addresses gains little from it).
        if (states_.size() >= max_keys_ && !by_age_.empty()) forget(states_.find(by_age_.front()));
        it = states_.emplace(key, State{}).first;
        it->second.age = by_age_.insert(by_age_.end(), key);
    } else {
        by_age_.splice(by_age_.end(), by_age_, it->second.age);
    }
    State& state = it->second;
    state.failures.push_back(now_us);
    drop_before(state.failures, now_us - window_us_);
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
    const std::string key = limit_key(address);
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = states_.find(key);
    // A success clears the failures of a key that is not banned. Keyed by /64, the success of
    // one host does not clear a ban its neighbours earned.
    if (it != states_.end() && it->second.banned_until == 0) forget(it);
}

bool BanList::banned(const std::string& address, int64_t now_us) {
    const std::string key = limit_key(address);
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = states_.find(key);
    if (it == states_.end()) return false;
    if (it->second.banned_until > now_us) return true;
    it->second.banned_until = 0;
    if (forgettable(it->second, now_us)) forget(it);
    return false;
}

size_t BanList::size() {
    std::lock_guard<std::mutex> lock(mutex_);
    return states_.size();
}

bool AccountSessions::acquire(const std::string& user, int64_t limit) {
    std::lock_guard<std::mutex> lock(mutex_);
    int64_t& mine = sessions_[user];
    if (mine >= limit) {
        if (mine == 0) sessions_.erase(user);
        return false;
    }
    ++mine;
    return true;
}

void AccountSessions::release(const std::string& user) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = sessions_.find(user);
    if (it != sessions_.end() && --it->second <= 0) sessions_.erase(it);
}

int64_t AccountSessions::count(const std::string& user) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = sessions_.find(user);
    return it == sessions_.end() ? 0 : it->second;
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
