// The connections of one HTTP listener, as its limits see them: how many are open in total
// (limits.max_connections) and per address (limits.max_per_address; an IPv6 address counts as
// its /64, which one host is routinely given), and which of them are waiting for a request.
//
// When the total is reached, a connection waiting for a complete request (a TLS handshake, a
// header or a body still trickling in, or an idle keep-alive) is closed to admit the new one, so
// slow or idle clients cannot lock out a fresh one: the longest waiting of the address key with
// the most waiting connections, so a client alone on its address is closed last. Connections whose
// request is being handled or answered are never closed to make room: only when every one is
// busy is a new connection refused. A new connection from an address already at its cap is
// refused before anything is closed, so one address cannot push out others by knocking again.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace sightline::http::detail {

// What the table closes to make room. close_for_room() is called from any thread; the
// connection closes itself on its own executor.
class Closable {
public:
    virtual ~Closable() = default;
    virtual void close_for_room() = 0;
};

class ConnectionTable {
public:
    using Id = uint64_t;
    using Address = std::array<uint8_t, 16>;  // IPv6, IPv4 as ::ffff:a.b.c.d
    enum class Verdict { ok, total, per_address };
    struct Admitted {
        Verdict verdict = Verdict::ok;
        Id id = 0;                              // ok: for the calls below
        std::shared_ptr<Closable> closed;       // ok: the connection to close to make room
        std::array<uint8_t, 16> closed_peer{};  // ... and its address
    };

    ConnectionTable(int max_total, int max_per_address)
        : max_total_(max_total), max_per_address_(max_per_address) {}

    // A new connection from address. The caller calls closed->close_for_room() when set.
    Admitted admit(const Address& address);
    // The connection admitted as id exists: it can be closed to make room while it waits.
    void attach(Id id, std::weak_ptr<Closable> connection);
    // It waits for a request (from the TLS handshake on, and again after each response); a
    // connection already waiting keeps its place in line.
    void waiting(Id id);
    // A complete request arrived: it is not closed to make room until it waits again.
    void busy(Id id);
    // The connection is gone.
    void release(Id id);

    int open() const;  // counted connections

private:
    using Key = std::array<uint8_t, 16>;
    static Key key_of(const Address& address);
    struct Entry {
        Key key{};
        Address address{};
        std::weak_ptr<Closable> connection;
        uint64_t since = 0;   // its place in waiting_; 0: not waiting
        bool counted = true;  // false once closed to make room
    };
    void uncount(Entry& entry);
    Id room_victim() const;  // waiting_ is not empty
    void unwait(Entry& entry);

    mutable std::mutex mutex_;  // guards everything below
    const int max_total_;
    const int max_per_address_;
    int total_ = 0;
    std::map<Key, int> per_key_;
    Id next_id_ = 1;
    uint64_t next_since_ = 1;
    std::unordered_map<Id, Entry> entries_;
    std::map<uint64_t, Id> waiting_;      // by the time they began to wait, oldest first
    std::map<Key, int> waiting_per_key_;  // of waiting_, by key
};

}  // namespace sightline::http::detail
