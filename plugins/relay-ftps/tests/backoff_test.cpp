// Backoff arithmetic, with time given by the test.
#include <gtest/gtest.h>

#include "backoff.hpp"

namespace {

using sightline::relay_ftps::Backoff;

TEST(Backoff, DoublesUpToTheMaximumAndResetsOnSuccess) {
    Backoff b(1'000'000, 5'000'000);
    EXPECT_FALSE(b.waiting(0));
    b.failed(0);
    EXPECT_TRUE(b.waiting(999'999));
    EXPECT_FALSE(b.waiting(1'000'000));
    b.failed(1'000'000);
    EXPECT_EQ(b.current_delay_us(), 2'000'000);
    b.failed(3'000'000);
    EXPECT_EQ(b.current_delay_us(), 4'000'000);
    b.failed(7'000'000);
    EXPECT_EQ(b.current_delay_us(), 5'000'000);
    b.failed(12'000'000);
    EXPECT_EQ(b.current_delay_us(), 5'000'000);
    EXPECT_EQ(b.remaining_us(13'000'000), 4'000'000);
    b.succeeded();
    EXPECT_FALSE(b.waiting(13'000'000));
    b.failed(20'000'000);
    EXPECT_EQ(b.current_delay_us(), 1'000'000);
}

}  // namespace
