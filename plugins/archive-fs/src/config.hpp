// The plugin's configuration, parsed from the host's validated JSON (schema: config_schema.hpp).
#pragma once

#include <string>

namespace sightline::archive_fs {

struct ArchiveConfig {
    std::string root;
    bool compress = true;  // zstd; false: objects are stored as they came
    int zstd_level = 3;
    int zstd_workers = 1;
    bool fsync = true;
};

// Throws Error on a missing or mistyped key (the host should have caught it, but a plugin loaded
// by a test harness may not be so lucky).
ArchiveConfig parse_config(const std::string& config_json);

}  // namespace sightline::archive_fs
