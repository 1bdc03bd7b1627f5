#include "object_writer.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>

#include "names.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::archive_fs {

using sightline::plugin::Error;

namespace {

constexpr const char* kTempPrefix = "upload-";
constexpr time_t kStaleSeconds = 24 * 60 * 60;

}  // namespace

FsObjectWriter::FsObjectWriter(TenantLayout layout, const ArchiveConfig& config)
    : layout_(std::move(layout)), durable_(config.fsync) {
    // The compressor first: a failure here leaves no temporary file behind.
    if (config.compress) {
        cctx_.reset(ZSTD_createCCtx());
        if (!cctx_) throw Error("archive-fs: cannot create a zstd compression context");
        ZSTD_CCtx_setParameter(cctx_.get(), ZSTD_c_compressionLevel, config.zstd_level);
        // zstd's own frame checksum lets a reader stop at damaged data early; the SHA-256 check
        // at the end remains the authority.
        ZSTD_CCtx_setParameter(cctx_.get(), ZSTD_c_checksumFlag, 1);
        // Compression is the costliest step of archiving: worker threads take it off the
        // loading thread (a no-op with a libzstd built without threads).
        ZSTD_CCtx_setParameter(cctx_.get(), ZSTD_c_nbWorkers, config.zstd_workers);
        out_buffer_.resize(ZSTD_CStreamOutSize());
    }
    layout_.create_folders(durable_);
    std::string path = layout_.tmp_dir() + "/" + kTempPrefix + "XXXXXX";
    const int fd = ::mkostemp(path.data(), O_CLOEXEC);  // mode 0600
    if (fd < 0) throw_errno("create a temporary file in", layout_.tmp_dir());
    fd_ = UniqueFd(fd);
    temp_path_ = std::move(path);
}

FsObjectWriter::~FsObjectWriter() {
    if (state_ != State::committed) discard();
}

void FsObjectWriter::discard() noexcept {
    fd_.reset();
    if (!temp_path_.empty()) ::unlink(temp_path_.c_str());
    temp_path_.clear();
}

void FsObjectWriter::fail(const std::string& message) {
    state_ = State::failed;
    discard();
    throw Error(message);
}

void FsObjectWriter::write(const char* data, size_t size) {
    if (state_ != State::open) {
        throw Error("archive-fs: write to an object writer that was " +
                    std::string(state_ == State::committed ? "committed" : "failed"));
    }
    try {
        sha_.update(data, size);
        if (!cctx_) {
            write_all(fd_.get(), data, size, temp_path_);
            return;
        }
        ZSTD_inBuffer input{data, size, 0};
        write_compressed(input, ZSTD_e_continue);
    } catch (...) {
        state_ = State::failed;
        discard();
        throw;
    }
}

void FsObjectWriter::write_compressed(ZSTD_inBuffer& input, ZSTD_EndDirective mode) {
    for (;;) {
        ZSTD_outBuffer output{out_buffer_.data(), out_buffer_.size(), 0};
        const size_t remaining = ZSTD_compressStream2(cctx_.get(), &output, &input, mode);
        if (ZSTD_isError(remaining)) {
            throw Error(std::string("archive-fs: zstd compression failed: ") +
                        ZSTD_getErrorName(remaining));
        }
        write_all(fd_.get(), out_buffer_.data(), output.pos, temp_path_);
        // continue: done once zstd took all input; end: once it flushed everything.
        const bool done = mode == ZSTD_e_end ? remaining == 0 : input.pos == input.size;
        if (done) return;
    }
}

void FsObjectWriter::commit(const std::string& sha256) {
    if (state_ != State::open) {
        throw Error("archive-fs: commit of an object writer that was " +
                    std::string(state_ == State::committed ? "committed" : "failed"));
    }
    try {
        check_sha256(sha256);
    } catch (const Error& e) {
        fail(e.what());
    }
    const std::string actual = sha_.hex();
    if (actual != sha256) {
        // Stored under the wrong name, the object would read as corrupt forever: refuse now.
        fail("archive-fs: the bytes written for tenant " + layout_.tenant() + " have SHA-256 " +
             actual + ", not " + sha256 + "; nothing was stored");
    }
    try {
        if (cctx_) {
            ZSTD_inBuffer none{nullptr, 0, 0};
            write_compressed(none, ZSTD_e_end);
        }
        if (durable_) fsync_or_throw(fd_.get(), temp_path_);
        fd_.reset();

        if (layout_.find(sha256)) {
            // Same name, same bytes (the name is their checksum): keep the stored one.
            discard();
        } else {
            const std::string dir = layout_.object_dir(sha256);
            ensure_directory(dir, durable_);
            const std::string target = layout_.object_path(sha256, cctx_ != nullptr);
            if (::rename(temp_path_.c_str(), target.c_str()) != 0) throw_errno("store", target);
            temp_path_.clear();
            if (durable_) fsync_directory(dir);
        }
    } catch (...) {
        state_ = State::failed;
        discard();
        throw;
    }
    state_ = State::committed;
}

void sweep_stale_temporaries(const TenantLayout& layout) {
    const std::string dir = layout.tmp_dir();
    DIR* listing = ::opendir(dir.c_str());
    if (!listing) return;
    const time_t now = std::time(nullptr);
    while (const dirent* entry = ::readdir(listing)) {
        const std::string name = entry->d_name;
        if (name.rfind(kTempPrefix, 0) != 0) continue;
        const std::string path = dir + "/" + name;
        struct stat st {};
        if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
            now - st.st_mtime > kStaleSeconds) {
            ::unlink(path.c_str());
        }
    }
    ::closedir(listing);
}

}  // namespace sightline::archive_fs
