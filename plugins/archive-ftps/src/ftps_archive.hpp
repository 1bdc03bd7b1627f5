// The Archive on a remote FTPS server (layout.hpp). Single writer: one archive instance (one
// host process) writes a base_dir at a time; history sequence numbers are taken from a listing,
// so two concurrent writers could pick the same one. Any number of readers is fine.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config.hpp"
#include "layout.hpp"
#include "remote.hpp"
#include "sightline/plugin/archive.hpp"

namespace sightline::archive_ftps {

// Thread-safe: every server operation takes the shared connection's lock.
class FtpsArchive final : public plugin::Archive {
public:
    FtpsArchive(ArchiveConfig config, plugin::HostServices* host);

    std::unique_ptr<plugin::ObjectWriter> create(const std::string& tenant) override;
    std::unique_ptr<plugin::ObjectReader> open(const std::string& tenant,
                                               const std::string& sha256) override;
    bool contains(const std::string& tenant, const std::string& sha256) override;
    void append_history(const std::string& tenant, const std::string& json) override;
    std::vector<std::string> history(const std::string& tenant) override;
    std::vector<std::string> list(const std::string& tenant) override;

private:
    ArchiveConfig config_;
    plugin::HostServices* host_;
    Layout layout_;
    std::shared_ptr<Remote> remote_;  // shared with writers, which may outlive a call
};

}  // namespace sightline::archive_ftps
