#include "file_name.hpp"

#include <array>
#include <cctype>

namespace sightline::intake_dir {

namespace {

bool ends_with_ignoring_case(std::string_view text, std::string_view suffix) {
    if (text.size() < suffix.size()) return false;
    const auto tail = text.substr(text.size() - suffix.size());
    for (size_t i = 0; i < suffix.size(); ++i) {
        const auto c = static_cast<unsigned char>(tail[i]);
        if (std::tolower(c) != suffix[i]) return false;
    }
    return true;
}

}  // namespace

bool is_complete_name(std::string_view name) {
    if (name.empty() || name.front() == '.') return false;
    static constexpr std::array<std::string_view, 3> partial_suffixes{".part", ".tmp", ".filepart"};
    for (auto suffix : partial_suffixes) {
        if (ends_with_ignoring_case(name, suffix)) return false;
    }
    return true;
}

bool is_plain_component(std::string_view name) {
    return !name.empty() && name != "." && name != ".." &&
           name.find('/') == std::string_view::npos && name.find('\0') == std::string_view::npos;
}

}  // namespace sightline::intake_dir
