// The relay-ftps configuration: the schema the host validates against, and its parsed form.
#pragma once

#include <cstdint>
#include <string>

#include "connect_settings.hpp"

namespace sightline::relay_ftps {

// An array, so that the descriptor pointing at it is constant-initialised.
extern const char config_schema_json[];

struct RelayConfig {
    ftps_client::ConnectSettings connect;  // includes the password read from its source
    std::string base_dir = "/";            // uploads go to <base_dir>/<tenant>/[full/]<name>
    int64_t result_timeout_seconds = 3600;
    int64_t backoff_initial_seconds = 1;
    int64_t backoff_max_seconds = 300;
    bool verify_hash = true;
};

// Parses CreateContext::config_json (defaults applied when keys are missing, so hand-written
// configs in tests work too). Throws plugin::Error naming the key at fault.
RelayConfig parse_config(const std::string& json_text);

}  // namespace sightline::relay_ftps
