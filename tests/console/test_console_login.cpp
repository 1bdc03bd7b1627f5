// The console's login guards (host/http/src/console_sessions.hpp): the per-address throttle
// under parallel attempts, the per-operator lockout with an injected clock, and the cap on
// parallel password verifications.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "console_sessions.hpp"

namespace sightline::http::detail {
namespace {

constexpr int64_t kSecond = 1'000'000;
constexpr int64_t kMinute = 60 * kSecond;

struct FakeClock {
    std::atomic<int64_t> now{1'000 * kSecond};
    core::Clock clock() {
        return [this] { return now.load(); };
    }
};

// Many threads try at once from one address, each "verifying" (sleeping a little) between the
// reservation and the failure, as the console does. Before reservations, every thread passed the
// check before any failure was recorded, so all of them were verified.
TEST(LoginThrottle, ParallelAttemptsFromOneAddressAreVerifiedNoMoreThanAllowed) {
    FakeClock clock;
    ThrottleLimits limits;  // two free failures, then a wait
    LoginThrottle throttle(clock.clock(), limits);
    std::atomic<int> verified{0}, refused{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < 32; ++i)
        threads.emplace_back([&] {
            while (!go) std::this_thread::yield();
            if (throttle.reserve("10.0.0.1") > 0) {
                ++refused;
                return;
            }
            ++verified;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            throttle.record_failure("10.0.0.1");
        });
    go = true;
    for (auto& t : threads) t.join();
    EXPECT_EQ(verified.load(), limits.free_failures + 1);
    EXPECT_EQ(refused.load(), 32 - limits.free_failures - 1);
    EXPECT_GT(throttle.wait_us("10.0.0.1"), 0);
    EXPECT_EQ(throttle.wait_us("10.0.0.2"), 0);
}

TEST(LoginThrottle, WaitsGrowThenBanAndASuccessClears) {
    FakeClock clock;
    LoginThrottle throttle(clock.clock());
    const std::string a = "10.0.0.1";
    for (int i = 0; i < 2; ++i) {
        ASSERT_EQ(throttle.reserve(a), 0);
        EXPECT_FALSE(throttle.record_failure(a));
    }
    ASSERT_EQ(throttle.reserve(a), 0);
    throttle.record_failure(a);
    EXPECT_EQ(throttle.wait_us(a), 1 * kSecond);
    EXPECT_EQ(throttle.reserve(a), 1 * kSecond);  // refused: nothing counted
    clock.now += kSecond;
    ASSERT_EQ(throttle.reserve(a), 0);
    throttle.record_failure(a);
    EXPECT_EQ(throttle.wait_us(a), 2 * kSecond);
    bool banned = false;
    for (int i = 5; i <= 10; ++i) {
        clock.now += 31 * kSecond;
        ASSERT_EQ(throttle.reserve(a), 0) << i;
        banned = throttle.record_failure(a);
    }
    EXPECT_TRUE(banned);
    EXPECT_TRUE(throttle.banned(a));
    EXPECT_GT(throttle.reserve(a), 14 * kMinute);
    clock.now += 15 * kMinute;
    EXPECT_FALSE(throttle.banned(a));
    ASSERT_EQ(throttle.reserve(a), 0);
    throttle.record_success(a);
    EXPECT_EQ(throttle.wait_us(a), 0);
}

// Spread over many addresses, so that no per-address wait applies.
std::string address(int i) {
    return "10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250);
}

TEST(OperatorLockout, FailuresAcrossAddressesLockTheOperatorForLongerEachTime) {
    FakeClock clock;
    OperatorLockout lockout(clock.clock());
    for (int i = 0; i < 4; ++i) {
        const auto v = lockout.reserve("olga", address(i));
        EXPECT_EQ(v.locked_us, 0);
        EXPECT_FALSE(v.locks_now);
    }
    const auto fifth = lockout.reserve("olga", address(4));
    EXPECT_EQ(fifth.locked_us, 0);
    EXPECT_TRUE(fifth.locks_now);
    EXPECT_EQ(fifth.lock_length_us, kMinute);
    // Locked for 1 minute, from any address, and for this operator only.
    EXPECT_EQ(lockout.reserve("olga", address(5)).locked_us, kMinute);
    EXPECT_EQ(lockout.reserve("olga", address(0)).locked_us, kMinute);
    EXPECT_EQ(lockout.reserve("piet", address(5)).locked_us, 0);
    // Attempts during the lock are not counted: they do not lengthen it.
    clock.now += kMinute;
    EXPECT_EQ(lockout.locked_us("olga", address(6)), 0);
    // The next lock lasts 2 minutes, then 4, 8, and at most 15.
    const int64_t expected[] = {2, 4, 8, 15, 15};
    for (int64_t minutes : expected) {
        for (int i = 0; i < 5; ++i) lockout.reserve("olga", address(10 + i));
        EXPECT_EQ(lockout.locked_us("olga", address(99)), minutes * kMinute);
        clock.now += minutes * kMinute;
    }
}

TEST(OperatorLockout, FailuresOutsideTheWindowAreForgotten) {
    FakeClock clock;
    OperatorLockout lockout(clock.clock());
    for (int i = 0; i < 20; ++i) {
        EXPECT_FALSE(lockout.reserve("olga", address(i)).locks_now) << i;
        if (i % 4 == 3) clock.now += 15 * kMinute;  // four per window: never five
    }
    EXPECT_EQ(lockout.locked_us("olga", address(0)), 0);
}

TEST(OperatorLockout, ASuccessResetsTheCountAndTheLevel) {
    FakeClock clock;
    OperatorLockout lockout(clock.clock());
    for (int i = 0; i < 5; ++i) lockout.reserve("olga", address(i));
    clock.now += kMinute;
    for (int i = 0; i < 5; ++i) lockout.reserve("olga", address(i));
    EXPECT_EQ(lockout.locked_us("olga", address(50)), 2 * kMinute);
    clock.now += 2 * kMinute;
    lockout.record_success("olga", address(50));
    for (int i = 0; i < 4; ++i) EXPECT_FALSE(lockout.reserve("olga", address(i)).locks_now);
    EXPECT_TRUE(lockout.reserve("olga", address(4)).locks_now);
    EXPECT_EQ(lockout.locked_us("olga", address(51)), kMinute);  // level 0 again: 1 minute
}

TEST(OperatorLockout, AQuietDayForgetsTheLevel) {
    FakeClock clock;
    OperatorLockout lockout(clock.clock());
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 5; ++i) lockout.reserve("olga", address(i));
        clock.now += 15 * kMinute;
    }
    clock.now += 24 * 60 * kMinute;
    for (int i = 0; i < 5; ++i) lockout.reserve("olga", address(i));
    EXPECT_EQ(lockout.locked_us("olga", address(9)), kMinute);
}

// The lock is a lever against the operator: an address it logged in from keeps working, and
// failures from there do not count.
TEST(OperatorLockout, AnAddressTheOperatorLoggedInFromIsNotLockedOut) {
    FakeClock clock;
    OperatorLockout lockout(clock.clock());
    lockout.record_success("olga", "192.168.1.10");
    clock.now += kMinute;
    for (int i = 0; i < 5; ++i) lockout.reserve("olga", address(i));
    EXPECT_GT(lockout.locked_us("olga", address(7)), 0);
    EXPECT_EQ(lockout.locked_us("olga", "192.168.1.10"), 0);
    EXPECT_EQ(lockout.reserve("olga", "192.168.1.10").locked_us, 0);
    for (int i = 0; i < 10; ++i) EXPECT_FALSE(lockout.reserve("olga", "192.168.1.10").locks_now);
    // Trusted for 30 days after that login.
    clock.now += 30LL * 24 * 60 * kMinute;
    for (int i = 0; i < 5; ++i) lockout.reserve("olga", address(i));
    EXPECT_GT(lockout.locked_us("olga", "192.168.1.10"), 0);
}

TEST(OperatorLockout, ParallelAttemptsAcrossAddressesLockAfterExactlyTheLimit) {
    FakeClock clock;
    OperatorLockout lockout(clock.clock());
    std::atomic<int> allowed{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < 40; ++i)
        threads.emplace_back([&, i] {
            while (!go) std::this_thread::yield();
            if (lockout.reserve("olga", address(i)).locked_us == 0) ++allowed;
        });
    go = true;
    for (auto& t : threads) t.join();
    EXPECT_EQ(allowed.load(), LockoutLimits{}.lock_after);
}

TEST(VerificationSlots, NoMoreThanTheCountRunAtOnce) {
    VerificationSlots slots(2);
    std::atomic<int> running{0}, most{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 16; ++i)
        threads.emplace_back([&] {
            VerificationSlots::Slot slot(slots);
            const int now = ++running;
            int seen = most.load();
            while (now > seen && !most.compare_exchange_weak(seen, now)) {
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            --running;
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(most.load(), 2);
    EXPECT_EQ(slots.peak(), 2);
}

}  // namespace
}  // namespace sightline::http::detail
