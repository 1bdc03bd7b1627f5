// Admission of control connections: how many are open at once, in total (max_connections) and
// per address key (max_per_address, limit_key(): an IPv6 address counts as its /64), and what
// happens when the total is reached.
//
// A flood of connections that never log in must not lock out a fresh client: when the total is
// reached, a connection that has not logged in yet is closed to make room (its socket is shut
// down; its own thread sees the end and finishes): the oldest of the address key that holds the
// most such connections, so a client alone on its address is closed last. Logged-in sessions are
// never closed to make room: only when every open connection is logged in is a new one refused. A
// new connection from an address already at its own cap is refused before anything is closed, so
// one address cannot push out others' connections by knocking again and again.
//
// Each connection's session runs in its own thread, which attaches itself (attach()), so the
// session can say it logged in without knowing about admission (note_login()).
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

namespace sightline::intake_ftps {

class Admission {
public:
    using Ticket = uint64_t;
    enum class Verdict { ok, total, per_address };
    struct Result {
        Verdict verdict = Verdict::ok;
        Ticket ticket = 0;         // ok: what attach() and release() take
        std::string evicted_peer;  // ok: the address of the connection closed to make room
    };

    Admission(int64_t max_total, int64_t max_per_address)
        : max_total_(max_total), max_per_address_(max_per_address) {}

    Result admit(const std::string& address);
    // In the session's thread, before serving: its socket and thread. False when the connection
    // was already closed to make room (do not serve it).
    bool attach(Ticket ticket, int fd);
    // The calling thread's session logged in: it is no longer closed to make room. Does nothing
    // in a thread with no attached ticket.
    static void note_login();
    // The connection ends. Call it before its socket is closed: a closed descriptor's number
    // may be reused by another connection at once, and must never be shut down for this one.
    void release(Ticket ticket);
    // A reload: lower limits close no connection, they refuse or make room for new ones.
    void set_limits(int64_t max_total, int64_t max_per_address);

    int64_t open();           // counted connections (tests)
    int64_t not_logged_in();  // of which not logged in (tests)

private:
    struct Entry {
        std::string key;  // limit_key() of the peer address
        std::string address;
        int fd = -1;           // -1 until attached
        bool evicted = false;  // closed to make room: no longer counted
        bool waiting = true;   // not logged in yet (then in waiting_)
        std::list<Ticket>::iterator place;
    };
    void logged_in(Ticket ticket);
    void uncount(const Entry& entry);
    Ticket room_victim() const;  // waiting_ is not empty
    void unwait(Entry& entry);

    std::mutex mutex_;  // guards everything below
    int64_t max_total_;
    int64_t max_per_address_;
    int64_t total_ = 0;
    std::map<std::string, int64_t> per_key_;
    Ticket next_ticket_ = 1;
    std::unordered_map<Ticket, Entry> entries_;
    std::list<Ticket> waiting_;  // not logged in and not closed to make room, oldest first
    std::map<std::string, int64_t> waiting_per_key_;  // of waiting_, by key
};

}  // namespace sightline::intake_ftps
