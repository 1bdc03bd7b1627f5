// Streams an upload into a temporary file of the tenant's tmp/ folder (compressing on the way
// when configured) and moves it into objects/ at commit.
#pragma once

#include <zstd.h>

#include <memory>
#include <string>
#include <vector>

#include "config.hpp"
#include "layout.hpp"
#include "posix_file.hpp"
#include "sha256.hpp"
#include "sightline/plugin/archive.hpp"

namespace sightline::archive_fs {

class FsObjectWriter final : public sightline::plugin::ObjectWriter {
public:
    // Creates the tenant's folders when missing and opens the temporary file.
    FsObjectWriter(TenantLayout layout, const ArchiveConfig& config);
    ~FsObjectWriter() override;

    void write(const char* data, size_t size) override;
    // Verifies the SHA-256 of the bytes written, then: fsync, rename into objects/, fsync of the
    // folder. When the object is already stored the temporary file is discarded.
    void commit(const std::string& sha256) override;

private:
    void write_compressed(ZSTD_inBuffer& input, ZSTD_EndDirective mode);
    void discard() noexcept;
    [[noreturn]] void fail(const std::string& message);

    TenantLayout layout_;
    bool durable_;
    std::string temp_path_;
    UniqueFd fd_;
    Sha256 sha_;
    struct FreeCCtx {
        void operator()(ZSTD_CCtx* cctx) const { ZSTD_freeCCtx(cctx); }
    };
    std::unique_ptr<ZSTD_CCtx, FreeCCtx> cctx_;  // null when storing uncompressed
    std::vector<char> out_buffer_;               // one ZSTD_CStreamOutSize() block: bounded memory
    enum class State { open, failed, committed } state_ = State::open;
};

// Removes temporary files that a crashed process left behind (older than a day, so that writers
// of other processes working right now are never touched). Failures are ignored.
void sweep_stale_temporaries(const TenantLayout& layout);

}  // namespace sightline::archive_fs
