// The data connection of one transfer: accepted on the session's passive listener from the
// control connection's address only, secured with TLS that must resume the control
// connection's own session, then read to the end (uploads) or written (listings, notes).
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "channel.hpp"
#include "passive.hpp"
#include "shared.hpp"

namespace sightline::intake_ftps {

enum class DataFailure {
    none,
    timeout,      // no connection (from the right address) in time
    stopped,      // server stopping
    tls,          // handshake failed
    not_resumed,  // a fresh session, or someone else's: 522
};

// Accepts and secures the data connection. tls: the context the control connection shook hands
// with (its session lives in that context's cache and tickets). On failure returns nullptr and
// sets failure/why.
std::unique_ptr<Channel> open_data(Shared& shared, const Limits& limits, const TlsContext& tls,
                                   PassiveListener& listener, const std::string& peer,
                                   const std::array<unsigned char, 16>& control_token,
                                   DataFailure& failure, std::string& why);

enum class ReceiveEnd {
    complete,   // close_notify received: every byte arrived
    truncated,  // ended without close_notify, or a TLS/socket error
    too_large,  // max_file_bytes or quota exceeded
    too_slow,   // below min_transfer_rate over a window
    idle,       // nothing at all for a whole window
    stopped,
    write_error,
};

struct ReceiveResult {
    ReceiveEnd end = ReceiveEnd::truncated;
    int64_t bytes = 0;
    std::string detail;
    int error = 0;  // errno of a write_error (ENOSPC, EDQUOT: 452)
};

// Reads the upload into out_fd. limit_bytes: the most this file may take (max_file_bytes and
// the quota's room at the start, whichever is smaller). quota_ok is asked again after every
// kQuotaCheckBytes, since other uploads of the tenant grow at the same time.
constexpr int64_t kQuotaCheckBytes = 4 << 20;
ReceiveResult receive_upload(const Limits& limits, Channel& data, int out_fd, int64_t limit_bytes,
                             const std::function<bool()>& quota_ok);

// Writes text and closes with close_notify. False on failure or a too slow reader.
bool send_all(const Limits& limits, Channel& data, const std::string& bytes);

}  // namespace sightline::intake_ftps
