// Bounds on a profile's YAML. A profile is an operator's file, but a mistaken or hostile one
// must not exhaust the host: YAML aliases let a few hundred bytes stand for 10^8 nodes, and
// every later walk of the profile would follow them.
#pragma once

#include <cstddef>
#include <string>

#include <yaml-cpp/yaml.h>

namespace sightline::core::detail {

inline constexpr size_t kMaxProfileBytes = 1024 * 1024;
// Counted as the checker would visit them: an alias counts each time it is used.
inline constexpr size_t kMaxProfileNodes = 100'000;

// "" when the file is small enough to read (or cannot be examined: reading it says why).
std::string profile_size_problem(const std::string& path);

// "" when the loaded tree is within kMaxProfileNodes and kMaxNestingDepth. Walks without
// recursion and stops at the first bound it passes.
std::string profile_tree_problem(const YAML::Node& root);

}  // namespace sightline::core::detail
