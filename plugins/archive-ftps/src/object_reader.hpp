// An object fetched from the server into a local spool file while its SHA-256 is computed.
// read() hands out nothing of an object whose bytes do not match their name: it throws Error
// from the first call on.
#pragma once

#include <memory>
#include <string>

#include "sightline/plugin/archive.hpp"
#include "spool_file.hpp"

namespace sightline::archive_ftps {

class FtpsObjectReader final : public plugin::ObjectReader {
public:
    // spool holds the downloaded bytes; actual_sha256 is what they hash to.
    FtpsObjectReader(std::unique_ptr<SpoolFile> spool, std::string tenant, std::string sha256,
                     std::string actual_sha256);

    size_t read(char* buffer, size_t size) override;

private:
    std::unique_ptr<SpoolFile> spool_;
    std::string tenant_;
    std::string sha256_;
    bool corrupt_;
};

}  // namespace sightline::archive_ftps
