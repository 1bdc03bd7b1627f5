// Segment definitions per tenant, versioned: every change keeps the previous version with who
// and when. Kept beside the tenant's database, in the host's state folder (one SQLite file per
// tenant: <state_dir>/segments/<tenant>.sqlite), so that every target plugin gets it unchanged.
// Customer ids never go here: only definitions.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sightline::core {

struct SegmentVersion {
    std::string id;
    int64_t version = 0;          // 1, 2, ... per segment id
    std::string definition_json;  // canonical JSON (segment_definition.hpp); "" when deleted
    std::string author;           // operator or API caller
    int64_t at_us = 0;
    bool deleted = false;  // this version removed the segment
};

class SegmentStore {
public:
    // state_dir: the profile's state_dir.
    explicit SegmentStore(std::string state_dir);
    ~SegmentStore();

    // Current (not deleted) segments of a tenant, by id.
    std::vector<SegmentVersion> list(const std::string& tenant);
    std::optional<SegmentVersion> get(const std::string& tenant, const std::string& id);
    // Store a new version unless the current one has the same canonical JSON (then returns it).
    // created: whether a new version was written.
    SegmentVersion put(const std::string& tenant, const std::string& id,
                       const std::string& canonical_json, const std::string& author, int64_t at_us,
                       bool* created = nullptr);
    // Records a deletion version; false when there was no current segment with that id.
    bool remove(const std::string& tenant, const std::string& id, const std::string& author,
                int64_t at_us);
    // Every version of one id, oldest first (deleted ones included).
    std::vector<SegmentVersion> versions(const std::string& tenant, const std::string& id);
    // Every version of every id of the tenant, in order of recording (for backups).
    std::vector<SegmentVersion> all_versions(const std::string& tenant);
    // Adds versions a backup has and this store lacks (same id and version); returns how many.
    // A version present here with different content is a conflict: Error, nothing changed.
    size_t import_versions(const std::string& tenant, const std::vector<SegmentVersion>& versions);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sightline::core
