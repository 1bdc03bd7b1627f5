#include "connection_table.hpp"

#include <algorithm>

namespace sightline::http::detail {

ConnectionTable::Key ConnectionTable::key_of(const Address& address) {
    const bool v4 =
        std::all_of(address.begin(), address.begin() + 10, [](uint8_t b) { return b == 0; }) &&
        address[10] == 0xff && address[11] == 0xff;
    if (v4) return address;
    Key key = address;
    std::fill(key.begin() + 8, key.end(), uint8_t{0});  // the /64
    return key;
}

ConnectionTable::Admitted ConnectionTable::admit(const Address& address) {
    const Key key = key_of(address);
    std::lock_guard<std::mutex> lock(mutex_);
    Admitted result;
    auto count = per_key_.find(key);
    if (count != per_key_.end() && count->second >= max_per_address_) {
        result.verdict = Verdict::per_address;
        return result;
    }
    if (total_ >= max_total_) {
        // Make room: one that waits stops counting now and is closed by the caller.
        std::shared_ptr<Closable> oldest;
        while (!oldest && !waiting_.empty()) {
            Entry& entry = entries_.at(room_victim());
            unwait(entry);
            uncount(entry);
            oldest = entry.connection.lock();  // null: it is being destroyed anyway
            result.closed_peer = entry.address;
        }
        if (!oldest && total_ >= max_total_) {
            result.verdict = Verdict::total;
            return result;
        }
        result.closed = std::move(oldest);
    }
    ++per_key_[key];
    ++total_;
    result.id = next_id_++;
    Entry& entry = entries_[result.id];
    entry.key = key;
    entry.address = address;
    return result;
}

void ConnectionTable::attach(Id id, std::weak_ptr<Closable> connection) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = entries_.find(id); it != entries_.end())
        it->second.connection = std::move(connection);
}

void ConnectionTable::waiting(Id id) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(id);
    if (it == entries_.end() || it->second.since != 0 || !it->second.counted) return;
    it->second.since = next_since_++;
    waiting_.emplace(it->second.since, id);
    ++waiting_per_key_[it->second.key];
}

ConnectionTable::Id ConnectionTable::room_victim() const {
    // The key with the most waiting connections gives one up, its longest waiting. A client
    // waiting alone on its address is closed only once every address has one waiting at most,
    // so a flood from fewer addresses than max_connections can never push it out, however fast
    // it knocks.
    int most = 0;
    for (const auto& [key, count] : waiting_per_key_) most = std::max(most, count);
    for (const auto& [since, id] : waiting_) {
        if (waiting_per_key_.at(entries_.at(id).key) == most) return id;
    }
    return waiting_.begin()->second;
}

void ConnectionTable::unwait(Entry& entry) {
    if (entry.since == 0) return;
    waiting_.erase(entry.since);
    entry.since = 0;
    auto it = waiting_per_key_.find(entry.key);
    if (it != waiting_per_key_.end() && --it->second <= 0) waiting_per_key_.erase(it);
}

void ConnectionTable::busy(Id id) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(id);
    if (it != entries_.end()) unwait(it->second);
}

void ConnectionTable::release(Id id) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(id);
    if (it == entries_.end()) return;
    unwait(it->second);
    uncount(it->second);
    entries_.erase(it);
}

void ConnectionTable::uncount(Entry& entry) {
    if (!entry.counted) return;
    entry.counted = false;
    --total_;
    auto it = per_key_.find(entry.key);
    if (it != per_key_.end() && --it->second <= 0) per_key_.erase(it);
}

int ConnectionTable::open() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return total_;
}

}  // namespace sightline::http::detail
