#include "object_reader.hpp"

namespace sightline::archive_ftps {

FtpsObjectReader::FtpsObjectReader(std::unique_ptr<SpoolFile> spool, std::string tenant,
                                   std::string sha256, std::string actual_sha256)
    : spool_(std::move(spool)),
      tenant_(std::move(tenant)),
      sha256_(std::move(sha256)),
      corrupt_(actual_sha256 != sha256_) {
    spool_->rewind();
}

size_t FtpsObjectReader::read(char* buffer, size_t size) {
    if (corrupt_) {
        throw plugin::Error("archive object " + sha256_ + " of tenant " + tenant_ +
                            " is corrupt: checksum mismatch");
    }
    return spool_->read(buffer, size);
}

}  // namespace sightline::archive_ftps
