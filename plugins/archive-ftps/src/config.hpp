// The archive-ftps configuration: the schema the host validates against, and its parsed form.
#pragma once

#include <string>

#include "connect_settings.hpp"

namespace sightline::archive_ftps {

// An array, so that the descriptor pointing at it is constant-initialised.
extern const char config_schema_json[];

struct ArchiveConfig {
    ftps_client::ConnectSettings connect;  // includes the password read from its source
    std::string base_dir = "/sightline";   // remote folder holding <tenant>/objects, history
    std::string spool_dir;                 // local temporary files; "" = the host's state_dir()
};

// Throws plugin::Error naming the key at fault.
ArchiveConfig parse_config(const std::string& json_text);

}  // namespace sightline::archive_ftps
