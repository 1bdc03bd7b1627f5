#include "passive.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

namespace sightline::intake_ftps {

namespace {

std::string address_text(const sockaddr_storage& ss) {
    char text[INET6_ADDRSTRLEN] = {0};
    if (ss.ss_family == AF_INET) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(&ss);
        ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    } else if (ss.ss_family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&ss);
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
            ::inet_ntop(AF_INET, &in6->sin6_addr.s6_addr[12], text, sizeof text);
        } else {
            ::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
        }
    }
    return text;
}

}  // namespace

uint16_t PortPool::take() {
    std::lock_guard<std::mutex> lock(mutex_);
    for (size_t i = 0; i < size(); ++i) {
        const uint16_t port = next_;
        next_ = next_ == last_ ? first_ : static_cast<uint16_t>(next_ + 1);
        if (taken_.insert(port).second) return port;
    }
    return 0;
}

void PortPool::give_back(uint16_t port) {
    std::lock_guard<std::mutex> lock(mutex_);
    taken_.erase(port);
}

std::unique_ptr<PassiveListener> PassiveListener::open(boost::asio::io_context& io, PortPool& pool,
                                                       const boost::asio::ip::address& address,
                                                       std::string& why) {
    using boost::asio::ip::tcp;
    // Another program may hold some ports of the range: try each free one once.
    for (size_t attempt = 0; attempt < pool.size(); ++attempt) {
        const uint16_t port = pool.take();
        if (port == 0) break;
        boost::system::error_code ec;
        tcp::acceptor acceptor(io);
        const tcp::endpoint endpoint(address, port);
        acceptor.open(endpoint.protocol(), ec);
        if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
        if (!ec) acceptor.bind(endpoint, ec);
        if (!ec) acceptor.listen(4, ec);
        if (!ec) acceptor.non_blocking(true, ec);
        if (!ec) {
            return std::unique_ptr<PassiveListener>(
                new PassiveListener(std::move(acceptor), pool, port));
        }
        pool.give_back(port);
        why = ec.message();
    }
    if (why.empty()) why = "every passive port is in use";
    return nullptr;
}

PassiveListener::~PassiveListener() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    pool_.give_back(port_);
}

Fd PassiveListener::accept(const std::string& peer, Deadline deadline,
                           const std::atomic<bool>& stopping,
                           const std::function<void(const std::string&)>& on_foreign, Io& result) {
    const int listen_fd = acceptor_.native_handle();
    for (;;) {
        if (stopping.load()) {
            result = Io::stopped;
            return Fd();
        }
        const auto now = Clock::now();
        if (now >= deadline) {
            result = Io::timeout;
            return Fd();
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
        pollfd p{listen_fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count() + 1, 250))) <= 0) {
            continue;
        }
        Fd fd(::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
        if (!fd.valid()) continue;
        const std::string from = peer_address(fd.get());
        if (from != peer) {
            on_foreign(from);
            continue;  // Fd closes it
        }
        result = Io::ok;
        return fd;
    }
}

std::string peer_address(int fd) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return "";
    return address_text(ss);
}

std::string local_address(int fd) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return "";
    return address_text(ss);
}

}  // namespace sightline::intake_ftps
