// The intake-dir configuration: the schema the host validates against, and its parsed form.
#pragma once

#include <cstdint>
#include <string>

namespace sightline::intake_dir {

// The config schema in the descriptor (key -> type, required, default, bounds, description).
// An array, not a pointer variable, so the descriptor that points at it is constant-initialised
// and readable from the file without running the library's initialisers.
extern const char config_schema_json[];

struct Config {
    std::string root;  // absolute, lexically normal
    int64_t poll_interval_ms = 1000;
    bool create_folders = true;
    // Mode of the folders the plugin creates. Private by default; a profile opens it to a group
    // when other accounts (an SFTP server's users, a copy job) must write into the landing.
    unsigned landing_mode = 0700;
    int64_t settle_ms = 0;
};

// Parses the profile section the host passes in CreateContext::config_json. The host has already
// validated it, but the plugin checks again so that a hand-written config in a test or an older
// host cannot start it with nonsense. Throws sightline::plugin::Error naming the key at fault.
Config parse_config(const std::string& json_text);

}  // namespace sightline::intake_dir
