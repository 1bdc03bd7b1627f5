// The profile's `target_connections:` section: the process-wide budget of target connections
// that core::StorePool enforces (docs/profiles.md).
#include "profile_checker.hpp"

namespace sightline::core::detail {

void read_target_connections(Checker& c, const YAML::Node& node, Profile& p) {
    if (!node.IsDefined() || node.IsNull()) return;
    if (!node.IsMap()) {
        c.fail(node, "target_connections", "expected a mapping (max, wait_ms, idle_ms)");
        return;
    }
    c.only_keys(node, "target_connections", {"max", "wait_ms", "idle_ms"});
    // At least 2: a load holds its transaction's store and opens a second one to look for a
    // duplicate, so with 1 every incremental load would wait for itself.
    c.integer(node["max"], "target_connections.max", p.target_connections.max, 2, 10'000);
    c.integer(node["wait_ms"], "target_connections.wait_ms", p.target_connections.wait_ms, 0,
              600'000);
    c.integer(node["idle_ms"], "target_connections.idle_ms", p.target_connections.idle_ms, 0,
              86'400'000);
}

}  // namespace sightline::core::detail
