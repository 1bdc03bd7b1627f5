#include "data_channel.hpp"

#include <fcntl.h>
#include <openssl/sha.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace sightline::intake_ftps {

using plugin::LogLevel;

std::unique_ptr<Channel> open_data(Shared& shared, const Limits& limits, const TlsContext& tls,
                                   PassiveListener& listener, const std::string& peer,
                                   const std::array<unsigned char, 16>& control_token,
                                   DataFailure& failure, std::string& why) {
    const Deadline deadline =
        Clock::now() + std::chrono::seconds(limits.data_connect_timeout_seconds);
    Io io = Io::ok;
    Fd fd = listener.accept(
        peer, deadline, shared.stopping,
        [&](const std::string& from) {
            shared.host.log(
                LogLevel::warn, "intake_ftps.data_foreign_peer",
                {{"peer", peer}, {"from", from}, {"port", std::to_string(listener.port())}});
        },
        io);
    if (!fd.valid()) {
        failure = io == Io::stopped ? DataFailure::stopped : DataFailure::timeout;
        why = "no data connection from " + peer;
        return nullptr;
    }
    auto channel = std::make_unique<Channel>(std::move(fd), shared.stopping);
    TicketBinding binding;
    binding.token = control_token;
    binding.data = true;
    const Io hs = channel->handshake(tls, &binding, deadline);
    if (hs != Io::ok) {
        failure = hs == Io::stopped ? DataFailure::stopped : DataFailure::tls;
        why = channel->error().empty() ? "TLS handshake failed" : channel->error();
        return nullptr;
    }
    // Whatever the path (ticket or session ID), the resumed session must carry the token.
    if (!TlsContext::resumed_own_session(channel->ssl(), binding)) {
        tls.forget_session(channel->ssl());
        failure = DataFailure::not_resumed;
        why = SSL_session_reused(channel->ssl()) == 1 ? "resumed another connection's session"
                                                      : "fresh TLS session";
        channel->close_notify(Clock::now() + std::chrono::seconds(1));
        return nullptr;
    }
    // The binding lives on this stack frame only: detach it before returning the channel.
    TlsContext::detach(channel->ssl());
    failure = DataFailure::none;
    return channel;
}

namespace {

// Average rate over consecutive windows: a transfer that moves less than min_rate * window bytes
// in any full window is dropped. The deadline of every read is the end of the current window.
class RateGuard {
public:
    explicit RateGuard(const Limits& limits)
        : window_(std::chrono::seconds(limits.transfer_rate_window_seconds)),
          min_bytes_(limits.min_transfer_rate_bytes * limits.transfer_rate_window_seconds),
          window_end_(Clock::now() + window_) {}

    Deadline deadline() const { return window_end_; }
    void add(size_t n) { bytes_ += static_cast<int64_t>(n); }
    // At the end of a window: false when too little moved in it.
    bool roll() {
        if (Clock::now() < window_end_) return true;
        const bool ok = bytes_ >= min_bytes_;
        bytes_ = 0;
        window_end_ = Clock::now() + window_;
        return ok;
    }

private:
    const std::chrono::seconds window_;
    const int64_t min_bytes_;
    Deadline window_end_;
    int64_t bytes_ = 0;
};

}  // namespace

constexpr int64_t kWritebackBytes = 8 << 20;

ReceiveResult receive_upload(const Limits& limits, Channel& data, int out_fd, int64_t limit_bytes,
                             const std::function<bool()>& quota_ok) {
    int64_t next_quota_check = kQuotaCheckBytes;
    int64_t written_back = 0;
    ReceiveResult result;
    RateGuard rate(limits);
    // No digest here: hashing on the transfer path made a 1 GiB upload CPU-bound (0.94x vsftpd;
    // 1.38x without). The queue hashes the stored file before submitting it, and HASH reads the
    // stored file, so both describe the bytes on disk rather than the bytes in flight.
    const size_t capacity = 256 * 1024;
    // Not value-initialised: pages are touched only as far as a transfer fills them, so a
    // small upload costs a few KiB however many run at once.
    std::unique_ptr<char[]> storage(new char[capacity]);
    char* const buffer = storage.get();
    for (;;) {
        size_t got = 0;
        const Io io = data.read_batch(buffer, capacity, got, rate.deadline());
        if (io == Io::ok) {
            result.bytes += static_cast<int64_t>(got);
            rate.add(got);
            if (result.bytes > limit_bytes) {
                result.end = ReceiveEnd::too_large;
                return result;
            }
            if (result.bytes >= next_quota_check) {
                next_quota_check = result.bytes + kQuotaCheckBytes;
                if (!quota_ok()) {
                    result.end = ReceiveEnd::too_large;
                    result.detail = "quota";
                    return result;
                }
            }
            size_t done = 0;
            while (done < got) {
                const ssize_t n = ::write(out_fd, buffer + done, got - done);
                if (n < 0 && errno == EINTR) continue;
                if (n <= 0) {
                    result.end = ReceiveEnd::write_error;
                    result.error = n < 0 ? errno : ENOSPC;  // write() of 0 bytes: no room
                    result.detail = std::strerror(result.error);
                    return result;
                }
                done += static_cast<size_t>(n);
            }
            // Start the disk writeback of each finished 8 MiB now, while the network is busy,
            // so the fsync that makes the upload durable has little left to do at the end.
            if (result.bytes - written_back >= kWritebackBytes) {
                ::sync_file_range(out_fd, written_back, result.bytes - written_back,
                                  SYNC_FILE_RANGE_WRITE);
                written_back = result.bytes;
            }
            if (!rate.roll()) {
                result.end = ReceiveEnd::too_slow;
                return result;
            }
            continue;
        }
        if (io == Io::timeout) {
            if (!rate.roll()) {
                result.end = ReceiveEnd::too_slow;
                return result;
            }
            continue;
        }
        if (io == Io::closed) {
            result.end = ReceiveEnd::complete;
            return result;
        }
        result.end = io == Io::stopped ? ReceiveEnd::stopped : ReceiveEnd::truncated;
        result.detail = data.error();
        return result;
    }
}

bool send_all(const Limits& limits, Channel& data, const std::string& bytes) {
    RateGuard rate(limits);
    size_t done = 0;
    while (done < bytes.size()) {
        const size_t chunk = std::min<size_t>(bytes.size() - done, 64 * 1024);
        const Io io = data.write_all(bytes.data() + done, chunk, rate.deadline());
        // A chunk that cannot leave within a whole window is below any sensible rate.
        if (io != Io::ok) return false;
        done += chunk;
        rate.add(chunk);
        if (!rate.roll()) return false;
    }
    data.close_notify(Clock::now() + std::chrono::seconds(5));
    return true;
}

}  // namespace sightline::intake_ftps
