// A tenant's history: history.jsonl, one JSON document per line, appended durably.
#pragma once

#include <string>
#include <vector>

#include "sightline/plugin/api.hpp"

namespace sightline::archive_fs {

struct HistoryOptions {
    bool fsync = true;
    sightline::plugin::HostServices* host = nullptr;  // for a warning on repair; may be null
    std::string tenant;
};

// Appends one line (O_APPEND, under an exclusive flock, then fsync). The text must be one JSON
// document without line breaks, else Error. A torn last line left by a crash (no final '\n', so
// never acknowledged) is cut off first, so that it cannot glue onto the new line.
void append_history_line(const std::string& path, const std::string& json,
                         const HistoryOptions& options);

// The complete lines in order; an incomplete last line is not returned. No file: no lines.
std::vector<std::string> read_history_lines(const std::string& path);

}  // namespace sightline::archive_fs
