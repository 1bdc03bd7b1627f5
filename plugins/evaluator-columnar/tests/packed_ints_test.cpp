// Packed integer columns: the narrowest width, the common divisor, absent cells, extremes.
#include <gtest/gtest.h>

#include <limits>

#include "packed_ints.hpp"

namespace sightline::evaluator_columnar {
namespace {

std::vector<int64_t> decoded(const PackedInts& p) {
    std::vector<int64_t> out(p.size());
    if (!out.empty()) p.decode(0, p.size(), out.data());
    return out;
}

TEST(PackedInts, PicksTheNarrowestWidthAfterTheCommonDivisor) {
    // Whole seconds two years apart, in µs: 4 bytes.
    const std::vector<int64_t> seconds = {1'700'000'000'000'000, 1'763'000'000'000'000,
                                          1'700'000'001'000'000};
    const PackedInts ts = PackedInts::pack(seconds);
    EXPECT_EQ(ts.width(), 4u);
    EXPECT_EQ(ts.scale(), 1'000'000u);
    EXPECT_EQ(decoded(ts), seconds);
    // Prices in cents with returns: 2 bytes.
    const std::vector<int64_t> prices = {-50'000'000, 12'340'000, 0, 99'990'000};
    const PackedInts p = PackedInts::pack(prices);
    EXPECT_EQ(p.width(), 2u);
    EXPECT_EQ(decoded(p), prices);
    for (size_t i = 0; i < prices.size(); ++i) EXPECT_EQ(p.at(i), prices[i]);
    EXPECT_EQ(PackedInts::pack({3, 3, 3}).width(), 1u);
    EXPECT_EQ(PackedInts::pack({}).size(), 0u);
}

TEST(PackedInts, ExtremesNeedEightBytes) {
    const std::vector<int64_t> v = {std::numeric_limits<int64_t>::min(), 0, 1,
                                    std::numeric_limits<int64_t>::max()};
    const PackedInts p = PackedInts::pack(v);
    EXPECT_EQ(p.width(), 8u);
    EXPECT_EQ(decoded(p), v);
}

TEST(PackedInts, AbsentCellsDoNotWidenTheFrame) {
    const std::vector<int64_t> v = {5, 0, 7, std::numeric_limits<int64_t>::max()};
    const std::vector<uint64_t> present = {0b0101};
    const PackedInts p = PackedInts::pack(v, &present);
    EXPECT_EQ(p.width(), 1u);
    EXPECT_EQ(p.at(0), 5);
    EXPECT_EQ(p.at(2), 7);
    EXPECT_EQ(p.max_code(), 1u);  // (7 - 5) / 2
}

}  // namespace
}  // namespace sightline::evaluator_columnar
