// Typed, contiguous, read-only arrays of a snapshot. A column either owns its values (a snapshot
// built in memory) or points into a buffer the snapshot keeps alive (a snapshot read from its
// file with one read), so that opening a persisted snapshot copies nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace sightline::evaluator_columnar {

template <typename T>
class Column {
public:
    Column() = default;
    explicit Column(std::vector<T> values)
        : owned_(std::move(values)), data_(owned_.data()), size_(owned_.size()) {}
    // A view into memory that outlives the column (the snapshot's file buffer).
    Column(const T* data, size_t size) : data_(data), size_(size) {}

    // Moving a vector keeps its buffer, so the pointer stays valid; copying would not.
    Column(Column&& o) noexcept : owned_(std::move(o.owned_)), data_(o.data_), size_(o.size_) {
        o.data_ = nullptr;
        o.size_ = 0;
    }
    Column& operator=(Column&& o) noexcept {
        owned_ = std::move(o.owned_);
        data_ = o.data_;
        size_ = o.size_;
        o.data_ = nullptr;
        o.size_ = 0;
        return *this;
    }
    Column(const Column&) = delete;
    Column& operator=(const Column&) = delete;

    const T* data() const { return data_; }
    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    const T& operator[](size_t i) const { return data_[i]; }
    const T* begin() const { return data_; }
    const T* end() const { return data_ + size_; }
    // Heap bytes this column owns (0 for a view).
    size_t owned_bytes() const { return owned_.capacity() * sizeof(T); }

private:
    std::vector<T> owned_;
    const T* data_ = nullptr;
    size_t size_ = 0;
};

// Strings numbered 0..n-1: their bytes back to back, and n + 1 offsets.
struct StringDict {
    Column<char> bytes;
    Column<uint64_t> offsets;  // size() + 1 entries; empty for an empty dictionary

    size_t size() const { return offsets.empty() ? 0 : offsets.size() - 1; }
    std::string_view at(size_t i) const {
        return {bytes.data() + offsets[i], static_cast<size_t>(offsets[i + 1] - offsets[i])};
    }
    size_t owned_bytes() const { return bytes.owned_bytes() + offsets.owned_bytes(); }
};

// Builds a StringDict in code order.
class StringDictWriter {
public:
    void add(std::string_view s) {
        if (offsets_.empty()) offsets_.push_back(0);
        bytes_.insert(bytes_.end(), s.begin(), s.end());
        offsets_.push_back(bytes_.size());
    }
    StringDict finish() {
        if (offsets_.empty()) offsets_.push_back(0);
        StringDict d;
        d.bytes = Column<char>(std::move(bytes_));
        d.offsets = Column<uint64_t>(std::move(offsets_));
        return d;
    }

private:
    std::vector<char> bytes_;
    std::vector<uint64_t> offsets_;
};

}  // namespace sightline::evaluator_columnar
