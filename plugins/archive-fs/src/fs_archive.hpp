// The Archive: per-tenant folders of checksummed objects plus a history file (layout.hpp).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config.hpp"
#include "sightline/plugin/archive.hpp"

namespace sightline::archive_fs {

// Thread-safe: holds no mutable state; writers and readers are independent objects, and history
// appends are serialized by a file lock (which also covers other processes).
class FsArchive final : public sightline::plugin::Archive {
public:
    // Creates the root folder (0700) when missing. host may be null (no logging).
    FsArchive(ArchiveConfig config, sightline::plugin::HostServices* host);

    std::unique_ptr<sightline::plugin::ObjectWriter> create(const std::string& tenant) override;
    std::unique_ptr<sightline::plugin::ObjectReader> open(const std::string& tenant,
                                                          const std::string& sha256) override;
    bool contains(const std::string& tenant, const std::string& sha256) override;
    void append_history(const std::string& tenant, const std::string& json) override;
    std::vector<std::string> history(const std::string& tenant) override;
    std::vector<std::string> list(const std::string& tenant) override;

private:
    ArchiveConfig config_;
    sightline::plugin::HostServices* host_;
};

}  // namespace sightline::archive_fs
