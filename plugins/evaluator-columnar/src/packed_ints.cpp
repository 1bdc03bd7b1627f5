#include "packed_ints.hpp"

#include <algorithm>
#include <numeric>

namespace sightline::evaluator_columnar {

namespace {

bool has(const std::vector<uint64_t>* present, size_t i) {
    return !present || ((*present)[i >> 6] >> (i & 63)) & 1;
}

template <typename T>
void store(std::vector<uint64_t>& words, size_t i, uint64_t code) {
    const T v = static_cast<T>(code);
    std::memcpy(reinterpret_cast<char*>(words.data()) + i * sizeof(T), &v, sizeof(T));
}

}  // namespace

PackedInts PackedInts::pack(const std::vector<int64_t>& values,
                            const std::vector<uint64_t>* present) {
    bool any = false;
    int64_t min = 0, max = 0;
    for (size_t i = 0; i < values.size(); ++i) {
        if (!has(present, i)) continue;
        if (!any || values[i] < min) min = values[i];
        if (!any || values[i] > max) max = values[i];
        any = true;
    }
    uint64_t scale = 0;
    for (size_t i = 0; i < values.size() && scale != 1; ++i) {
        if (!has(present, i)) continue;
        const uint64_t distance = static_cast<uint64_t>(values[i]) - static_cast<uint64_t>(min);
        // Most values are multiples of the divisor found so far: a remainder is cheaper than a gcd.
        if (scale == 0 || distance % scale != 0) scale = std::gcd(scale, distance);
    }
    if (scale == 0) scale = 1;
    const uint64_t top = (static_cast<uint64_t>(max) - static_cast<uint64_t>(min)) / scale;
    const uint32_t width = top <= 0xFF ? 1 : top <= 0xFFFF ? 2 : top <= 0xFFFFFFFFull ? 4 : 8;
    std::vector<uint64_t> words((values.size() * width + 7) / 8, 0);
    for (size_t i = 0; i < values.size(); ++i) {
        if (!has(present, i)) continue;
        const uint64_t code =
            (static_cast<uint64_t>(values[i]) - static_cast<uint64_t>(min)) / scale;
        switch (width) {
            case 1:
                store<uint8_t>(words, i, code);
                break;
            case 2:
                store<uint16_t>(words, i, code);
                break;
            case 4:
                store<uint32_t>(words, i, code);
                break;
            default:
                store<uint64_t>(words, i, code);
        }
    }
    return PackedInts(min, scale, width, values.size(), Column<uint64_t>(std::move(words)));
}

uint64_t PackedInts::max_code() const {
    uint64_t top = 0;
    for (size_t i = 0; i < size_; ++i) {
        uint64_t code = 0;
        switch (width_) {
            case 1:
                code = bytes()[i];
                break;
            case 2:
                code = reinterpret_cast<const uint16_t*>(bytes())[i];
                break;
            case 4:
                code = reinterpret_cast<const uint32_t*>(bytes())[i];
                break;
            default:
                code = words_[i];
        }
        top = std::max(top, code);
    }
    return top;
}

}  // namespace sightline::evaluator_columnar
