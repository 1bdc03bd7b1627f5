#include "channel.hpp"

#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "sightline/ftps/tls_policy.hpp"

namespace sightline::intake_ftps {

Channel::~Channel() {
    if (ssl_ != nullptr) SSL_free(ssl_);
}

Io Channel::wait(short events, Deadline deadline) {
    for (;;) {
        if (stopping_.load()) return Io::stopped;
        const auto now = Clock::now();
        if (now >= deadline) return Io::timeout;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
        const int slice = static_cast<int>(std::min<int64_t>(left.count() + 1, 250));
        pollfd p{fd_.get(), events, 0};
        const int n = ::poll(&p, 1, slice);
        if (n < 0 && errno != EINTR) {
            error_ = std::strerror(errno);
            return Io::error;
        }
        if (n > 0) return Io::ok;  // readable, writable, or an error the next call reports
    }
}

Io Channel::after_ssl_failure(int result, Deadline deadline) {
    const int code = SSL_get_error(ssl_, result);
    switch (code) {
        case SSL_ERROR_WANT_READ:
            return wait(POLLIN, deadline);
        case SSL_ERROR_WANT_WRITE:
            return wait(POLLOUT, deadline);
        case SSL_ERROR_ZERO_RETURN:
            return Io::closed;
        case SSL_ERROR_SYSCALL:
            error_ = errno != 0 ? std::strerror(errno) : "connection closed without close_notify";
            ftps::openssl_errors();
            return Io::truncated;
        default: {
            const unsigned long e = ERR_peek_error();
            error_ = ftps::openssl_errors();
            if (ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
                error_ = "connection closed without close_notify";
                return Io::truncated;
            }
            if (error_.empty()) error_ = "TLS error " + std::to_string(code);
            return Io::error;
        }
    }
}

Io Channel::handshake(const TlsContext& context, TicketBinding* binding, Deadline deadline) {
    ssl_ = context.make(fd_.get(), binding);
    if (wire_ != nullptr) return Io::ok;
    for (;;) {
        ERR_clear_error();
        errno = 0;
        const int r = SSL_do_handshake(ssl_);
        if (r == 1) return Io::ok;
        const Io io = after_ssl_failure(r, deadline);
        if (io != Io::ok) return io == Io::closed ? Io::error : io;
    }
}

Io Channel::read(char* buffer, size_t capacity, size_t& got, Deadline deadline) {
    got = 0;
    if (wire_ != nullptr) {
        if (wire_->offset >= wire_->input.size()) return Io::closed;
        got = std::min({capacity, wire_->chunk, wire_->input.size() - wire_->offset});
        const size_t lf = wire_->input.find('\n', wire_->offset);
        if (wire_->lines && lf != std::string::npos) got = std::min(got, lf + 1 - wire_->offset);
        std::memcpy(buffer, wire_->input.data() + wire_->offset, got);
        wire_->offset += got;
        return Io::ok;
    }
    for (;;) {
        if (ssl_ == nullptr) {
            const ssize_t n = ::recv(fd_.get(), buffer, capacity, 0);
            if (n > 0) {
                got = static_cast<size_t>(n);
                return Io::ok;
            }
            if (n == 0) return Io::closed;
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                const Io io = wait(POLLIN, deadline);
                if (io != Io::ok) return io;
                continue;
            }
            error_ = std::strerror(errno);
            return Io::error;
        }
        ERR_clear_error();
        errno = 0;
        const int n = SSL_read(ssl_, buffer, static_cast<int>(std::min<size_t>(capacity, 1 << 30)));
        if (n > 0) {
            got = static_cast<size_t>(n);
            return Io::ok;
        }
        const Io io = after_ssl_failure(n, deadline);
        if (io != Io::ok) return io;
    }
}

Io Channel::read_batch(char* buffer, size_t capacity, size_t& got, Deadline deadline) {
    got = 0;
    if (deferred_) {
        deferred_ = false;
        return deferred_io_;
    }
    const Io first = read(buffer, capacity, got, deadline);
    if (first != Io::ok || ssl_ == nullptr || wire_ != nullptr) return first;
    // Room for at least one more full record; stop at the first read that would wait.
    while (capacity - got >= 16 * 1024) {
        ERR_clear_error();
        errno = 0;
        const int n = SSL_read(ssl_, buffer + got,
                               static_cast<int>(std::min<size_t>(capacity - got, 1 << 30)));
        if (n > 0) {
            got += static_cast<size_t>(n);
            continue;
        }
        const int code = SSL_get_error(ssl_, n);
        if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) break;
        deferred_io_ = after_ssl_failure(n, deadline);
        deferred_ = deferred_io_ != Io::ok;
        break;
    }
    return Io::ok;
}

Io Channel::write_all(const char* data, size_t size, Deadline deadline) {
    if (wire_ != nullptr) {
        wire_->output.append(data, size);
        return Io::ok;
    }
    size_t done = 0;
    while (done < size) {
        if (ssl_ == nullptr) {
            const ssize_t n = ::send(fd_.get(), data + done, size - done, MSG_NOSIGNAL);
            if (n > 0) {
                done += static_cast<size_t>(n);
                continue;
            }
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
                const Io io = wait(POLLOUT, deadline);
                if (io != Io::ok) return io;
                continue;
            }
            error_ = std::strerror(errno);
            return Io::error;
        }
        ERR_clear_error();
        errno = 0;
        const int n =
            SSL_write(ssl_, data + done, static_cast<int>(std::min<size_t>(size - done, 1 << 30)));
        if (n > 0) {
            done += static_cast<size_t>(n);
            continue;
        }
        const Io io = after_ssl_failure(n, deadline);
        if (io == Io::closed) return Io::error;
        if (io != Io::ok) return io;
    }
    return Io::ok;
}

void Channel::close_notify(Deadline deadline) {
    if (ssl_ == nullptr || shutdown_sent_ || wire_ != nullptr) return;
    shutdown_sent_ = true;
    for (;;) {
        ERR_clear_error();
        const int r = SSL_shutdown(ssl_);
        // 0: ours is sent, the peer's not yet read; we do not wait for it here.
        if (r >= 0) return;
        const int code = SSL_get_error(ssl_, r);
        if (code != SSL_ERROR_WANT_WRITE && code != SSL_ERROR_WANT_READ) {
            ftps::openssl_errors();
            return;
        }
        if (wait(code == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN, deadline) != Io::ok) return;
    }
}

}  // namespace sightline::intake_ftps
