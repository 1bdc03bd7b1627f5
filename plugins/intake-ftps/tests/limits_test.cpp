// Address keys, bans, sessions per account, the per-/64 connection count and retry backoff, with an
// injected clock.
#include <gtest/gtest.h>

#include "admission.hpp"
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

TEST(LimitKey, Ipv6CountsAsItsSlash64AndMappedIpv4AsIpv4) {
    EXPECT_EQ(limit_key("192.0.2.7"), "192.0.2.7");
    EXPECT_EQ(limit_key("::ffff:192.0.2.7"), "192.0.2.7");
    EXPECT_EQ(limit_key("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
    EXPECT_EQ(limit_key("2001:db8:1:2::1"), limit_key("2001:db8:1:2:ffff:ffff:ffff:ffff"));
    EXPECT_NE(limit_key("2001:db8:1:2::1"), limit_key("2001:db8:1:3::1"));
    EXPECT_EQ(limit_key("::1"), "::/64");
    EXPECT_EQ(limit_key("not an address"), "not an address");
}

TEST(BanList, AnIpv6BanCoversTheWholeSlash64) {
    BanList bans(2, 600 * kSecond, 1800 * kSecond);
    const int64_t now = 1'000 * kSecond;
    EXPECT_FALSE(bans.record_failure("fd00:5:1::a", now));
    EXPECT_TRUE(bans.record_failure("fd00:5:1::b", now + kSecond));  // the same /64
    EXPECT_TRUE(bans.banned("fd00:5:1::1234:5678", now + 2 * kSecond));
    EXPECT_FALSE(bans.banned("fd00:5:2::a", now + 2 * kSecond));  // another /64
}

TEST(BanList, AMappedAddressIsTheIpv4Address) {
    BanList bans(1, 600 * kSecond, 1800 * kSecond);
    EXPECT_TRUE(bans.record_failure("::ffff:10.1.2.3", kSecond));
    EXPECT_TRUE(bans.banned("10.1.2.3", 2 * kSecond));
}

TEST(BanList, ForgetsKeysWhoseBanEndedAndWhoseFailuresLeftTheWindow) {
    BanList bans(3, 600 * kSecond, 1800 * kSecond);
    const int64_t now = 1'000 * kSecond;
    for (int i = 0; i < 1000; ++i)
        bans.record_failure("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256), now);
    EXPECT_EQ(bans.size(), 1000u);
    // One more failure after the window: every earlier key has nothing left to remember.
    bans.record_failure("10.9.9.9", now + 601 * kSecond);
    EXPECT_EQ(bans.size(), 1u);
    // A banned key is kept while its ban lasts, then forgotten.
    for (int i = 0; i < 3; ++i) bans.record_failure("10.8.8.8", now + 700 * kSecond);
    bans.record_failure("10.7.7.7", now + 1400 * kSecond);
    EXPECT_TRUE(bans.banned("10.8.8.8", now + 1400 * kSecond));
    EXPECT_EQ(bans.size(), 2u);  // 10.9.9.9 forgotten, 10.8.8.8 still banned
    EXPECT_FALSE(bans.banned("10.8.8.8", now + 2600 * kSecond));
    bans.record_failure("10.6.6.6", now + 2600 * kSecond);
    EXPECT_EQ(bans.size(), 1u);
}

TEST(BanList, HasAHardSizeBoundEvictingTheOldestKey) {
    BanList bans(1, 600 * kSecond, 1800 * kSecond, 100);
    const int64_t now = 1'000 * kSecond;
    // 1,000 /64s each banned at once, all within the window: only the 100 newest are kept.
    for (int i = 0; i < 1000; ++i) {
        bans.record_failure("2001:db8:0:" + std::to_string(i) + "::1", now + i);
    }
    EXPECT_EQ(bans.size(), 100u);
    EXPECT_FALSE(bans.banned("2001:db8:0:0::1", now + 1000));   // the oldest: evicted
    EXPECT_TRUE(bans.banned("2001:db8:0:999::1", now + 1000));  // the newest: kept
}

TEST(BanList, TheDefaultBoundIsOneHundredThousandKeys) {
    EXPECT_EQ(BanList::kDefaultMaxKeys, 100'000u);
}

TEST(Admission, AnIpv6Slash64SharesOnePerAddressCount) {
    Admission admission(100, 2);
    using V = Admission::Verdict;
    const auto first = admission.admit("fd00:5:1::a");
    EXPECT_EQ(first.verdict, V::ok);
    EXPECT_EQ(admission.admit("fd00:5:1::b").verdict, V::ok);
    EXPECT_EQ(admission.admit("fd00:5:1::c").verdict, V::per_address);  // same /64
    EXPECT_EQ(admission.admit("fd00:5:2::c").verdict, V::ok);           // another /64
    admission.release(first.ticket);
    EXPECT_EQ(admission.admit("fd00:5:1::d").verdict, V::ok);
    EXPECT_EQ(admission.admit("::ffff:127.0.0.1").verdict, V::ok);
    EXPECT_EQ(admission.admit("127.0.0.1").verdict, V::ok);
    EXPECT_EQ(admission.admit("127.0.0.1").verdict, V::per_address);  // the mapped one counted
}

TEST(AccountSessions, RefusesBeyondTheLimitAndFreesOnRelease) {
    AccountSessions sessions;
    EXPECT_TRUE(sessions.acquire("demo", 2));
    EXPECT_TRUE(sessions.acquire("demo", 2));
    EXPECT_FALSE(sessions.acquire("demo", 2));
    EXPECT_TRUE(sessions.acquire("other", 2));
    EXPECT_FALSE(sessions.acquire("demo", 1));  // a lower limit after a reload
    sessions.release("demo");
    EXPECT_TRUE(sessions.acquire("demo", 2));
    EXPECT_EQ(sessions.count("demo"), 2);
    sessions.release("demo");
    sessions.release("demo");
    EXPECT_EQ(sessions.count("demo"), 0);
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
