// Passive data listeners: one per PASV/EPSV, on a free port of the configured range, bound to
// the address the control connection arrived on.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "channel.hpp"
#include "fd.hpp"

namespace sightline::intake_ftps {

class PortPool {
public:
    PortPool(uint16_t first, uint16_t last) : first_(first), last_(last), next_(first) {}
    // A port not handed out yet, in turn; 0 when all are taken.
    uint16_t take();
    void give_back(uint16_t port);
    size_t size() const { return static_cast<size_t>(last_ - first_) + 1; }

private:
    const uint16_t first_;
    const uint16_t last_;
    std::mutex mutex_;
    uint16_t next_;
    std::set<uint16_t> taken_;
};

class PassiveListener {
public:
    // Listens on a port from pool at address. nullptr with why set when none is free.
    static std::unique_ptr<PassiveListener> open(boost::asio::io_context& io, PortPool& pool,
                                                 const boost::asio::ip::address& address,
                                                 std::string& why);
    ~PassiveListener();

    uint16_t port() const { return port_; }

    // Waits for a connection from `peer` (the control connection's address). Connections from
    // anywhere else are closed at once and reported through on_foreign, and waiting goes on: a
    // stranger racing for the port must not be able to take the transfer or abort it.
    Fd accept(const std::string& peer, Deadline deadline, const std::atomic<bool>& stopping,
              const std::function<void(const std::string&)>& on_foreign, Io& result);

private:
    PassiveListener(boost::asio::ip::tcp::acceptor acceptor, PortPool& pool, uint16_t port)
        : acceptor_(std::move(acceptor)), pool_(pool), port_(port) {}
    boost::asio::ip::tcp::acceptor acceptor_;
    PortPool& pool_;
    uint16_t port_;
};

// The textual address of a socket's peer or local end ("127.0.0.1", "::1"); IPv4-mapped IPv6
// addresses are shown as IPv4 so one client has one identity for bans and limits.
std::string peer_address(int fd);
std::string local_address(int fd);

}  // namespace sightline::intake_ftps
