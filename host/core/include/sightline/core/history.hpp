// The tenant's history as the archive keeps it: one JSON document per entry, in order. It is
// what makes a restore honest: files (loaded, duplicate, refused) and deletions, each at its
// place in time. Written and read only here.
#pragma once

#include <cstdint>
#include <string>

#include "sightline/plugin/data.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::core {

enum class HistoryType { file, deletion, cancelled, segments };

// A backup of the tenant's segment definitions (segment_backup.hpp): an archived object that a
// restore brings back after the data, not a file to load.
struct SegmentsBackupEntry {
    std::string name;  // segments-YYYY-MM-DD.json
    std::string sha256;
    int64_t at_us = 0;
    uint64_t bytes = 0;
    uint64_t versions = 0;
};

struct HistoryEntry {
    HistoryType type = HistoryType::file;
    std::string id;                    // unique within the tenant (older entries may lack one)
    plugin::FileRecord file;           // type file
    plugin::DeletionRequest deletion;  // type deletion (with the ids it removed)
    std::string cancels;               // type cancelled: the id of an entry that did not happen
    std::string reason;                // type cancelled: why
    SegmentsBackupEntry segments;      // type segments
};

// A fresh entry id: time-ordered, with randomness so that two hosts never collide.
std::string new_history_id(int64_t at_us);

std::string file_entry_json(const std::string& tenant, const std::string& id,
                            const plugin::FileRecord& record);
std::string deletion_entry_json(const std::string& tenant, const plugin::DeletionRequest& d);
// Written when an entry was appended but what it describes then failed (the load or deletion
// rolled back): a restore skips the cancelled entry.
std::string cancelled_entry_json(const std::string& tenant, const std::string& cancels,
                                 int64_t at_us, const std::string& reason);

std::string segments_entry_json(const std::string& tenant, const std::string& id,
                                const SegmentsBackupEntry& backup);
// Throws plugin::Error naming the entry's position when the document is not a valid entry.
HistoryEntry parse_history_entry(const std::string& json, size_t position);

}  // namespace sightline::core
