#include "backoff.hpp"

#include <algorithm>

namespace sightline::relay_ftps {

void Backoff::failed(int64_t now_us) {
    delay_us_ = failures_ == 0 ? initial_us_ : std::min(max_us_, delay_us_ * 2);
    delay_us_ = std::min(std::max<int64_t>(delay_us_, 0), max_us_);
    ++failures_;
    next_attempt_us_ = now_us + delay_us_;
}

}  // namespace sightline::relay_ftps
