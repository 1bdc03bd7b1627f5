// Streams a stored object out, decompressing when it is stored compressed, and verifies the
// SHA-256 of the bytes it returns when it reaches the end.
#pragma once

#include <zstd.h>

#include <string>
#include <vector>

#include "layout.hpp"
#include "posix_file.hpp"
#include "sha256.hpp"
#include "sightline/plugin/archive.hpp"

namespace sightline::archive_fs {

class FsObjectReader final : public sightline::plugin::ObjectReader {
public:
    FsObjectReader(const StoredObject& object, std::string sha256, std::string tenant);
    ~FsObjectReader() override;

    // Throws Error "archive object <sha> of tenant <t> is corrupt: ..." when the bytes do not
    // match their checksum (at the end at the latest) or cannot be decompressed.
    size_t read(char* buffer, size_t size) override;

private:
    size_t read_compressed(char* buffer, size_t size);
    void finish();  // at the end: compare checksums
    [[noreturn]] void corrupt(const std::string& why);

    std::string path_;
    std::string sha256_;
    std::string tenant_;
    UniqueFd fd_;
    Sha256 sha_;
    ZSTD_DCtx* dctx_ = nullptr;  // null for an uncompressed object
    std::vector<char> in_buffer_;
    ZSTD_inBuffer input_{nullptr, 0, 0};
    bool input_at_end_ = false;
    // ZSTD_decompressStream's last hint: 0 = the frame is complete and flushed. It starts
    // non-zero because a stored object holds at least one frame: an empty file is damaged.
    size_t frame_remaining_ = 1;
    enum class State { reading, verified, corrupt } state_ = State::reading;
    std::string corrupt_message_;
};

}  // namespace sightline::archive_fs
