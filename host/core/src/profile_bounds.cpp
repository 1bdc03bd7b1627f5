#include "profile_bounds.hpp"

#include <sys/stat.h>

#include <utility>
#include <vector>

#include "sightline/core/json_input.hpp"

namespace sightline::core::detail {

std::string profile_size_problem(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return "";
    if (static_cast<size_t>(st.st_size) <= kMaxProfileBytes) return "";
    return "the profile is " + std::to_string(st.st_size) + " bytes; at most " +
           std::to_string(kMaxProfileBytes) + " are read";
}

std::string profile_tree_problem(const YAML::Node& root) {
    std::vector<std::pair<YAML::Node, size_t>> pending{{root, 1}};
    size_t nodes = 0;
    while (!pending.empty()) {
        auto [node, depth] = std::move(pending.back());
        pending.pop_back();
        if (++nodes > kMaxProfileNodes)
            return "the profile has more than " + std::to_string(kMaxProfileNodes) +
                   " YAML nodes (an alias counts each time it is used)";
        if (!node.IsSequence() && !node.IsMap()) continue;
        if (depth > kMaxNestingDepth) return nesting_too_deep_message();
        for (const auto& child : node) {
            if (node.IsMap()) {
                pending.emplace_back(child.first, depth + 1);
                pending.emplace_back(child.second, depth + 1);
            } else {
                pending.emplace_back(child, depth + 1);
            }
        }
    }
    return "";
}

}  // namespace sightline::core::detail
