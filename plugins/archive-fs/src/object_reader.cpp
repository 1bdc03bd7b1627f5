#include "object_reader.hpp"

#include <fcntl.h>

#include "sightline/plugin/api.hpp"

namespace sightline::archive_fs {

using sightline::plugin::Error;

FsObjectReader::FsObjectReader(const StoredObject& object, std::string sha256, std::string tenant)
    : path_(object.path), sha256_(std::move(sha256)), tenant_(std::move(tenant)) {
    fd_ = open_or_throw(path_, O_RDONLY);
    if (object.compressed) {
        dctx_ = ZSTD_createDCtx();
        if (!dctx_) throw Error("archive-fs: cannot create a zstd decompression context");
        in_buffer_.resize(ZSTD_DStreamInSize());
    }
}

FsObjectReader::~FsObjectReader() { ZSTD_freeDCtx(dctx_); }

void FsObjectReader::corrupt(const std::string& why) {
    state_ = State::corrupt;
    corrupt_message_ =
        "archive object " + sha256_ + " of tenant " + tenant_ + " is corrupt: " + why;
    throw Error(corrupt_message_);
}

void FsObjectReader::finish() {
    if (sha_.hex() != sha256_) corrupt("checksum mismatch");
    state_ = State::verified;
}

size_t FsObjectReader::read(char* buffer, size_t size) {
    if (state_ == State::verified) return 0;
    if (state_ == State::corrupt) throw Error(corrupt_message_);
    if (size == 0) return 0;
    const size_t got =
        dctx_ ? read_compressed(buffer, size) : read_some(fd_.get(), buffer, size, path_);
    if (got == 0) {
        finish();
        return 0;
    }
    sha_.update(buffer, got);
    return got;
}

size_t FsObjectReader::read_compressed(char* buffer, size_t size) {
    ZSTD_outBuffer output{buffer, size, 0};
    for (;;) {
        if (input_.pos == input_.size && !input_at_end_) {
            const size_t n = read_some(fd_.get(), in_buffer_.data(), in_buffer_.size(), path_);
            input_ = ZSTD_inBuffer{in_buffer_.data(), n, 0};
            input_at_end_ = n == 0;
        }
        const bool no_more_input = input_at_end_ && input_.pos == input_.size;
        // The last frame was decoded and flushed completely, and nothing follows it. (Calling
        // zstd again here would report that it expects the header of a next frame.)
        if (no_more_input && frame_remaining_ == 0) return 0;
        // Called even without new input: zstd may still hold decoded bytes to hand out.
        const size_t hint = ZSTD_decompressStream(dctx_, &output, &input_);
        if (ZSTD_isError(hint)) corrupt(std::string("zstd: ") + ZSTD_getErrorName(hint));
        frame_remaining_ = hint;
        if (output.pos > 0) return output.pos;
        if (no_more_input) corrupt("the compressed data ends early");
    }
}

}  // namespace sightline::archive_fs
