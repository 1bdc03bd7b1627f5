#include "admission.hpp"

#include <sys/socket.h>

#include <algorithm>

#include "limits.hpp"

namespace sightline::intake_ftps {

namespace {

// The connection the current thread serves, if any: set by attach(), cleared by release().
struct Attached {
    Admission* admission = nullptr;
    Admission::Ticket ticket = 0;
};
thread_local Attached attached;

}  // namespace

Admission::Result Admission::admit(const std::string& address) {
    const std::string key = limit_key(address);
    std::lock_guard<std::mutex> lock(mutex_);
    Result result;
    auto count = per_key_.find(key);
    if (count != per_key_.end() && count->second >= max_per_address_) {
        result.verdict = Verdict::per_address;
        return result;
    }
    if (total_ >= max_total_) {
        if (waiting_.empty()) {
            result.verdict = Verdict::total;
            return result;
        }
        // Make room: a connection not logged in is closed. It stops counting now; its thread
        // notices the shut-down socket at once and releases the ticket.
        Entry& oldest = entries_.at(room_victim());
        unwait(oldest);
        oldest.evicted = true;
        if (oldest.fd >= 0) ::shutdown(oldest.fd, SHUT_RDWR);
        uncount(oldest);
        result.evicted_peer = oldest.address;
    }
    ++per_key_[key];
    ++total_;
    result.ticket = next_ticket_++;
    Entry& entry = entries_[result.ticket];
    entry.key = key;
    entry.address = address;
    entry.place = waiting_.insert(waiting_.end(), result.ticket);
    ++waiting_per_key_[key];
    return result;
}

Admission::Ticket Admission::room_victim() const {
    // The key holding the most connections not logged in gives one up, its oldest. A client
    // waiting alone on its address is closed only once every address holds one at most, so a
    // flood from fewer addresses than max_connections can never push it out, however fast it
    // knocks.
    int64_t most = 0;
    for (const auto& [key, count] : waiting_per_key_) most = std::max(most, count);
    for (const Ticket ticket : waiting_) {
        if (waiting_per_key_.at(entries_.at(ticket).key) == most) return ticket;
    }
    return waiting_.front();
}

void Admission::unwait(Entry& entry) {
    if (!entry.waiting) return;
    waiting_.erase(entry.place);
    entry.waiting = false;
    auto it = waiting_per_key_.find(entry.key);
    if (it != waiting_per_key_.end() && --it->second <= 0) waiting_per_key_.erase(it);
}

bool Admission::attach(Ticket ticket, int fd) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(ticket);
    if (it == entries_.end() || it->second.evicted) return false;
    it->second.fd = fd;
    attached = {this, ticket};
    return true;
}

void Admission::note_login() {
    if (attached.admission != nullptr) attached.admission->logged_in(attached.ticket);
}

void Admission::logged_in(Ticket ticket) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(ticket);
    if (it != entries_.end()) unwait(it->second);
}

void Admission::release(Ticket ticket) {
    if (attached.admission == this && attached.ticket == ticket) attached = {};
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(ticket);
    if (it == entries_.end()) return;
    unwait(it->second);
    if (!it->second.evicted) uncount(it->second);
    entries_.erase(it);
}

void Admission::uncount(const Entry& entry) {
    --total_;
    auto it = per_key_.find(entry.key);
    if (it != per_key_.end() && --it->second <= 0) per_key_.erase(it);
}

void Admission::set_limits(int64_t max_total, int64_t max_per_address) {
    std::lock_guard<std::mutex> lock(mutex_);
    max_total_ = max_total;
    max_per_address_ = max_per_address;
}

int64_t Admission::open() {
    std::lock_guard<std::mutex> lock(mutex_);
    return total_;
}

int64_t Admission::not_logged_in() {
    std::lock_guard<std::mutex> lock(mutex_);
    return static_cast<int64_t>(waiting_.size());
}

}  // namespace sightline::intake_ftps
