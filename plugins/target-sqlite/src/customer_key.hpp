// How customer ids are stored. Ids are unsigned 64-bit; SQLite integers are signed. Flipping the
// sign bit maps 0..2^64-1 onto INT64_MIN..INT64_MAX monotonically, so ORDER BY, range scans and
// index order on the stored column follow the numeric order of the unsigned ids.
#pragma once

#include <cstdint>

namespace sightline::target_sqlite {

constexpr uint64_t kCustomerKeyFlip = 0x8000000000000000ULL;

constexpr int64_t encode_customer(uint64_t id) {
    return static_cast<int64_t>(id ^ kCustomerKeyFlip);
}

constexpr uint64_t decode_customer(int64_t key) {
    return static_cast<uint64_t>(key) ^ kCustomerKeyFlip;
}

}  // namespace sightline::target_sqlite
