// One non-blocking socket, plain or TLS, where every operation waits with poll() against a
// deadline. A session's thread owns its channels, so a timeout is just a deadline passing: no
// other thread ever closes a socket under a blocked call. Waits wake every 250 ms to notice
// stop().
#pragma once

#include <openssl/ssl.h>

#include <atomic>
#include <chrono>
#include <string>

#include "fd.hpp"
#include "tls_context.hpp"

namespace sightline::intake_ftps {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

enum class Io {
    ok,
    closed,     // orderly end: TLS close_notify (or FIN on a plain connection)
    truncated,  // TLS connection ended without close_notify
    timeout,
    stopped,  // the server is stopping
    error,
};

// Bytes in memory standing in for a control connection's socket, for the fuzz target
// (tests/fuzz/ftp_command) that drives a whole session without sockets or TLS: reads hand out
// `input` at most `chunk` bytes at a time (or a line at a time) and then report Io::closed, writes
// append to `output`, and handshake() succeeds at once (the SSL object exists, so tls() is true,
// but no byte goes through it).
struct MemoryWire {
    std::string input;
    size_t offset = 0;
    size_t chunk = 4096;
    bool lines = false;  // each read also ends after a LF: a client that waits for every reply
    std::string output;
};

class Channel {
public:
    Channel(Fd fd, const std::atomic<bool>& stopping) : fd_(std::move(fd)), stopping_(stopping) {}
    Channel(MemoryWire& wire, const std::atomic<bool>& stopping)
        : stopping_(stopping), wire_(&wire) {}
    ~Channel();
    Channel(const Channel&) = delete;
    Channel& operator=(const Channel&) = delete;

    // Server side handshake on this socket; afterwards reads and writes go through TLS.
    Io handshake(const TlsContext& context, TicketBinding* binding, Deadline deadline);
    Io read(char* buffer, size_t capacity, size_t& got, Deadline deadline);
    // Like read(), then keeps filling buffer with whatever TLS can decrypt without waiting, so a
    // bulk transfer costs one write() and one digest update per buffer instead of per 16 KiB
    // record. An end or error met after some bytes is kept for the next call.
    Io read_batch(char* buffer, size_t capacity, size_t& got, Deadline deadline);
    Io write_all(const char* data, size_t size, Deadline deadline);
    Io write_all(const std::string& text, Deadline deadline) {
        return write_all(text.data(), text.size(), deadline);
    }
    // Sends close_notify (best effort, bounded by deadline); the socket stays open.
    void close_notify(Deadline deadline);

    bool tls() const { return ssl_ != nullptr; }
    SSL* ssl() const { return ssl_; }
    int fd() const { return fd_.get(); }
    const std::string& error() const { return error_; }

private:
    Io wait(short events, Deadline deadline);
    // Maps an SSL_* failure to a wait (returns ok to retry) or a final result.
    Io after_ssl_failure(int result, Deadline deadline);

    Fd fd_;
    const std::atomic<bool>& stopping_;
    SSL* ssl_ = nullptr;
    bool shutdown_sent_ = false;
    std::string error_;
    bool deferred_ = false;  // read_batch met an end after some bytes: deferred_io_ comes next
    Io deferred_io_ = Io::ok;
    MemoryWire* wire_ = nullptr;  // set: all I/O goes to memory (see MemoryWire)
};

}  // namespace sightline::intake_ftps
