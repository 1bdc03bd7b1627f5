// Member lists as bytes, and the difference between two of them (member_lists.hpp).
#include <stdexcept>

#include "sightline/core/member_lists.hpp"

namespace sightline::core {

namespace {

// Bumped if the layout ever changes: a stored list of another format is refused, never misread.
constexpr char kFormat = 1;

}  // namespace

std::vector<MemberChange> diff_members(const std::vector<uint64_t>& before,
                                       const std::vector<uint64_t>& after) {
    std::vector<MemberChange> changes;
    size_t i = 0, j = 0;
    while (i < before.size() || j < after.size()) {
        if (j == after.size() || (i < before.size() && before[i] < after[j])) {
            changes.push_back({before[i++], false});
        } else if (i == before.size() || after[j] < before[i]) {
            changes.push_back({after[j++], true});
        } else {
            ++i;
            ++j;
        }
    }
    return changes;
}

std::string encode_members(const std::vector<uint64_t>& ascending) {
    std::string out;
    out.reserve(1 + ascending.size() * 2);
    out += kFormat;
    uint64_t previous = 0;
    for (const uint64_t id : ascending) {
        uint64_t gap = id - previous;  // the first id is its own gap from 0
        previous = id;
        while (gap >= 0x80) {
            out += static_cast<char>((gap & 0x7F) | 0x80);
            gap >>= 7;
        }
        out += static_cast<char>(gap);
    }
    return out;
}

std::vector<uint64_t> decode_members(std::string_view bytes) {
    if (bytes.empty() || bytes[0] != kFormat)
        throw std::runtime_error("a stored member list of an unknown format");
    std::vector<uint64_t> ids;
    uint64_t previous = 0;
    size_t i = 1;
    while (i < bytes.size()) {
        uint64_t gap = 0;
        int shift = 0;
        while (true) {
            if (i == bytes.size() || shift > 63)
                throw std::runtime_error("a stored member list is truncated or corrupt");
            const auto byte = static_cast<uint8_t>(bytes[i++]);
            const uint64_t bits = byte & 0x7F;
            if (shift == 63 && bits > 1)
                throw std::runtime_error("a stored member list holds an id beyond 64 bits");
            gap |= bits << shift;
            shift += 7;
            if (!(byte & 0x80)) break;
        }
        // Every id after the first is strictly greater than the one before.
        if ((!ids.empty() && gap == 0) || gap > UINT64_MAX - previous)
            throw std::runtime_error("a stored member list is not ascending");
        previous += gap;
        ids.push_back(previous);
    }
    return ids;
}

bool is_member_list_token(const std::string& text) {
    if (text.size() != 32) return false;
    for (const char c : text)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

}  // namespace sightline::core
