#include "fs_archive.hpp"

#include <filesystem>

#include "history_file.hpp"
#include "layout.hpp"
#include "names.hpp"
#include "object_reader.hpp"
#include "object_writer.hpp"
#include "posix_file.hpp"

namespace sightline::archive_fs {

using sightline::plugin::Error;

FsArchive::FsArchive(ArchiveConfig config, sightline::plugin::HostServices* host)
    : config_(std::move(config)), host_(host) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(config_.root, ec)) {
        fs::create_directories(config_.root, ec);
        if (!ec) fs::permissions(config_.root, fs::perms::owner_all, ec);
        if (ec)
            throw Error("cannot create the archive folder " + config_.root + ": " + ec.message());
    }
}

std::unique_ptr<sightline::plugin::ObjectWriter> FsArchive::create(const std::string& tenant) {
    TenantLayout layout(config_.root, tenant);
    sweep_stale_temporaries(layout);
    return std::make_unique<FsObjectWriter>(std::move(layout), config_);
}

std::unique_ptr<sightline::plugin::ObjectReader> FsArchive::open(const std::string& tenant,
                                                                 const std::string& sha256) {
    const TenantLayout layout(config_.root, tenant);
    check_sha256(sha256);
    const auto stored = layout.find(sha256);
    if (!stored) {
        throw Error("archive object " + sha256 + " of tenant " + tenant +
                    " does not exist (not in " + layout.object_dir(sha256) + ")");
    }
    return std::make_unique<FsObjectReader>(*stored, sha256, tenant);
}

bool FsArchive::contains(const std::string& tenant, const std::string& sha256) {
    const TenantLayout layout(config_.root, tenant);
    check_sha256(sha256);
    return layout.find(sha256).has_value();
}

void FsArchive::append_history(const std::string& tenant, const std::string& json) {
    const TenantLayout layout(config_.root, tenant);
    ensure_directory(layout.dir(), config_.fsync);
    append_history_line(layout.history_file(), json, HistoryOptions{config_.fsync, host_, tenant});
}

std::vector<std::string> FsArchive::history(const std::string& tenant) {
    const TenantLayout layout(config_.root, tenant);
    return read_history_lines(layout.history_file());
}

std::vector<std::string> FsArchive::list(const std::string& tenant) {
    return TenantLayout(config_.root, tenant).list_objects();
}

}  // namespace sightline::archive_fs
