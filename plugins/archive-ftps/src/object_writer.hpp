// Streams an object into a local spool file, hashing as it goes; commit() uploads it under a
// temporary name and renames it into objects/ (nothing is visible before). Destroying an
// uncommitted writer leaves nothing anywhere.
#pragma once

#include <memory>
#include <string>

#include "layout.hpp"
#include "remote.hpp"
#include "sha256.hpp"
#include "sightline/plugin/archive.hpp"
#include "spool_file.hpp"

namespace sightline::archive_ftps {

class FtpsObjectWriter final : public plugin::ObjectWriter {
public:
    FtpsObjectWriter(std::shared_ptr<Remote> remote, Layout layout, std::string tenant,
                     const std::string& spool_dir, plugin::HostServices* host);

    void write(const char* data, size_t size) override;
    void commit(const std::string& sha256) override;

private:
    std::shared_ptr<Remote> remote_;
    Layout layout_;
    std::string tenant_;
    plugin::HostServices* host_;
    SpoolFile spool_;
    ftps_client::Sha256 sha_;
    int64_t bytes_ = 0;
    bool done_ = false;
};

}  // namespace sightline::archive_ftps
