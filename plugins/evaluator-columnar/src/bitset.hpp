// A dense set of customer positions: one bit per customer of a snapshot, so that all/any/not
// are word-wise operations (200,000 customers = 25 KB).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sightline::evaluator_columnar {

class Bitset {
public:
    explicit Bitset(size_t size = 0) : size_(size), words_((size + 63) / 64, 0) {}

    size_t size() const { return size_; }
    void set(size_t i) { words_[i >> 6] |= uint64_t{1} << (i & 63); }
    bool test(size_t i) const { return (words_[i >> 6] >> (i & 63)) & 1; }

    void and_with(const Bitset& o) {
        for (size_t w = 0; w < words_.size(); ++w) words_[w] &= o.words_[w];
    }
    void or_with(const Bitset& o) {
        for (size_t w = 0; w < words_.size(); ++w) words_[w] |= o.words_[w];
    }
    // this = universe \ this
    void complement_within(const Bitset& universe) {
        for (size_t w = 0; w < words_.size(); ++w) words_[w] = universe.words_[w] & ~words_[w];
    }
    size_t count() const {
        size_t n = 0;
        for (uint64_t w : words_) n += static_cast<size_t>(__builtin_popcountll(w));
        return n;
    }
    // Calls fn(position) for each member, ascending.
    template <typename Fn>
    void for_each(Fn&& fn) const {
        for (size_t w = 0; w < words_.size(); ++w) {
            uint64_t bits = words_[w];
            while (bits) {
                fn(w * 64 + static_cast<size_t>(__builtin_ctzll(bits)));
                bits &= bits - 1;
            }
        }
    }

private:
    size_t size_;
    std::vector<uint64_t> words_;
};

}  // namespace sightline::evaluator_columnar
