// Exponential backoff after a failed delivery: while it runs, the relay answers `retry` at once
// without touching the network, so a load server that is down is not hammered by every upload.
// Time comes from the caller (HostServices::now_us) so that tests control it.
#pragma once

#include <cstdint>

namespace sightline::relay_ftps {

class Backoff {
public:
    Backoff(int64_t initial_us, int64_t max_us) : initial_us_(initial_us), max_us_(max_us) {}

    // True while a failure's wait has not yet passed.
    bool waiting(int64_t now_us) const { return failures_ > 0 && now_us < next_attempt_us_; }
    // Microseconds left to wait (0 when not waiting).
    int64_t remaining_us(int64_t now_us) const {
        return waiting(now_us) ? next_attempt_us_ - now_us : 0;
    }
    // Records a failure at now: the wait doubles each time, from initial up to max.
    void failed(int64_t now_us);
    // A success ends the backoff.
    void succeeded() { failures_ = 0; }

    int failures() const { return failures_; }
    int64_t current_delay_us() const { return delay_us_; }

private:
    int64_t initial_us_;
    int64_t max_us_;
    int failures_ = 0;
    int64_t delay_us_ = 0;
    int64_t next_attempt_us_ = 0;
};

}  // namespace sightline::relay_ftps
