// A column of integers stored as base + scale * code, each code in the narrowest of 1, 2, 4 or 8
// bytes that holds (max - min) / scale, scale being the greatest common divisor of the values'
// distances from the minimum. Timestamps of whole seconds, prices in cents, dictionary codes and
// small counts shrink to 4, 2 or 1 bytes. Passes decode one customer's run of lines at a time
// into a scratch array (one switch per run, not per value).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "column.hpp"

namespace sightline::evaluator_columnar {

class PackedInts {
public:
    PackedInts() = default;
    // Packs values; cells whose bit in `present` is clear (when given) are ignored for the
    // frame and stored as the base.
    static PackedInts pack(const std::vector<int64_t>& values,
                           const std::vector<uint64_t>* present = nullptr);
    // A column read from a file: `words` holds size * width bytes.
    PackedInts(int64_t base, uint64_t scale, uint32_t width, size_t size, Column<uint64_t> words)
        : base_(base), scale_(scale), width_(width), size_(size), words_(std::move(words)) {}

    size_t size() const { return size_; }
    int64_t base() const { return base_; }
    uint64_t scale() const { return scale_; }
    uint32_t width() const { return width_; }
    const Column<uint64_t>& words() const { return words_; }
    size_t owned_bytes() const { return words_.owned_bytes(); }

    int64_t at(size_t i) const {
        switch (width_) {
            case 1:
                return decode(bytes()[i]);
            case 2:
                return decode(reinterpret_cast<const uint16_t*>(bytes())[i]);
            case 4:
                return decode(reinterpret_cast<const uint32_t*>(bytes())[i]);
            default:
                return decode(words_[i]);
        }
    }

    // out[0 .. end - begin) = values [begin, end).
    void decode(size_t begin, size_t end, int64_t* out) const {
        switch (width_) {
            case 1:
                return run(bytes(), begin, end, out);
            case 2:
                return run(reinterpret_cast<const uint16_t*>(bytes()), begin, end, out);
            case 4:
                return run(reinterpret_cast<const uint32_t*>(bytes()), begin, end, out);
            default:
                return run(words_.data(), begin, end, out);
        }
    }

    // The largest code stored (for range checks of a file's dictionary codes).
    uint64_t max_code() const;
    // Whether the frame is consistent with the stored bytes (a file's column).
    bool valid() const {
        return (width_ == 1 || width_ == 2 || width_ == 4 || width_ == 8) && scale_ >= 1 &&
               words_.size() == (size_ * width_ + 7) / 8;
    }

private:
    const uint8_t* bytes() const { return reinterpret_cast<const uint8_t*>(words_.data()); }
    // Wrapping unsigned arithmetic: exact whenever the value fits int64, which it does.
    int64_t decode(uint64_t code) const {
        return static_cast<int64_t>(static_cast<uint64_t>(base_) + scale_ * code);
    }
    template <typename T>
    void run(const T* codes, size_t begin, size_t end, int64_t* out) const {
        const uint64_t base = static_cast<uint64_t>(base_), scale = scale_;
        for (size_t i = begin; i < end; ++i)
            *out++ = static_cast<int64_t>(base + scale * static_cast<uint64_t>(codes[i]));
    }

    int64_t base_ = 0;
    uint64_t scale_ = 1;
    uint32_t width_ = 1;
    size_t size_ = 0;
    Column<uint64_t> words_;
};

}  // namespace sightline::evaluator_columnar
