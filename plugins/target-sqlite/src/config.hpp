// The plugin's configuration, parsed from the host's validated JSON (schema: config_schema.hpp).
#pragma once

#include <cstdint>
#include <string>

namespace sightline::target_sqlite {

struct TargetConfig {
    std::string dir;                // one <tenant>.sqlite per tenant
    bool synchronous_full = false;  // PRAGMA synchronous = FULL instead of NORMAL
    int64_t busy_timeout_ms = 10000;
    int64_t cache_size_mib = 4;  // page cache per connection; sorter run size
};

// Parses the host's validated config object; throws Error on a missing or mistyped key (the host
// should have caught it, but a plugin loaded by a test harness may not be so lucky).
TargetConfig parse_config(const std::string& config_json);

}  // namespace sightline::target_sqlite
