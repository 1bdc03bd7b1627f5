// Bans, connection limits and retry backoff, with an injected clock.
#include <gtest/gtest.h>

#include "limits.hpp"
#include "upload_queue.hpp"

namespace sightline::intake_ftps {
namespace {

constexpr int64_t kSecond = 1'000'000;

TEST(BanList, BansAfterFailuresWithinTheWindow) {
    BanList bans(3, 600 * kSecond, 1800 * kSecond);
    int64_t now = 1'000 * kSecond;
    EXPECT_FALSE(bans.record_failure("10.0.0.1", now));
    EXPECT_FALSE(bans.record_failure("10.0.0.1", now + kSecond));
    EXPECT_FALSE(bans.banned("10.0.0.1", now + kSecond));
    EXPECT_TRUE(bans.record_failure("10.0.0.1", now + 2 * kSecond));
    EXPECT_TRUE(bans.banned("10.0.0.1", now + 3 * kSecond));
    EXPECT_FALSE(bans.banned("10.0.0.2", now + 3 * kSecond));
    EXPECT_TRUE(bans.banned("10.0.0.1", now + 1801 * kSecond));
    EXPECT_FALSE(bans.banned("10.0.0.1", now + 1803 * kSecond));
}

TEST(BanList, FailuresOutsideTheWindowDoNotCount) {
    BanList bans(3, 600 * kSecond, 1800 * kSecond);
    const int64_t now = 1'000 * kSecond;
    EXPECT_FALSE(bans.record_failure("a", now));
    EXPECT_FALSE(bans.record_failure("a", now + 400 * kSecond));
    EXPECT_FALSE(bans.record_failure("a", now + 601 * kSecond));  // the first has aged out
    EXPECT_TRUE(bans.record_failure("a", now + 602 * kSecond));
}

TEST(BanList, SuccessForgetsEarlierFailures) {
    BanList bans(2, 600 * kSecond, 1800 * kSecond);
    EXPECT_FALSE(bans.record_failure("a", kSecond));
    bans.record_success("a");
    EXPECT_FALSE(bans.record_failure("a", 2 * kSecond));
}

TEST(ConnectionLimiter, TotalAndPerAddress) {
    ConnectionLimiter limiter(3, 2);
    using V = ConnectionLimiter::Verdict;
    EXPECT_EQ(limiter.acquire("a"), V::ok);
    EXPECT_EQ(limiter.acquire("a"), V::ok);
    EXPECT_EQ(limiter.acquire("a"), V::per_address);
    EXPECT_EQ(limiter.acquire("b"), V::ok);
    EXPECT_EQ(limiter.acquire("c"), V::total);
    limiter.release("a");
    EXPECT_EQ(limiter.acquire("c"), V::ok);
    EXPECT_EQ(limiter.acquire("a"), V::total);
}

TEST(RetryDelay, DoublesUpToFiveMinutes) {
    EXPECT_EQ(retry_delay_us(5 * kSecond, 1), 5 * kSecond);
    EXPECT_EQ(retry_delay_us(5 * kSecond, 2), 10 * kSecond);
    EXPECT_EQ(retry_delay_us(5 * kSecond, 4), 40 * kSecond);
    EXPECT_EQ(retry_delay_us(5 * kSecond, 7), 300 * kSecond);
    EXPECT_EQ(retry_delay_us(5 * kSecond, 1000), 300 * kSecond);
}

}  // namespace
}  // namespace sightline::intake_ftps
