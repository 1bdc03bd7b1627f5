#include "ftps_archive.hpp"

#include <algorithm>
#include <map>

#include "object_reader.hpp"
#include "object_writer.hpp"
#include "sha256.hpp"
#include "spool_file.hpp"

namespace sightline::archive_ftps {

using plugin::Error;

FtpsArchive::FtpsArchive(ArchiveConfig config, plugin::HostServices* host)
    : config_(std::move(config)),
      host_(host),
      layout_(config_.base_dir),
      remote_(std::make_shared<Remote>(config_.connect)) {
    if (config_.spool_dir.empty()) {
        if (!host_) throw Error("archive-ftps: 'spool_dir' is needed without host services");
        config_.spool_dir = host_->state_dir() + "/spool";
    }
}

std::unique_ptr<plugin::ObjectWriter> FtpsArchive::create(const std::string& tenant) {
    check_tenant_id(tenant);
    return std::make_unique<FtpsObjectWriter>(remote_, layout_, tenant, config_.spool_dir, host_);
}

std::unique_ptr<plugin::ObjectReader> FtpsArchive::open(const std::string& tenant,
                                                        const std::string& sha256) {
    const std::string object = layout_.object(tenant, sha256);
    auto spool = std::make_unique<SpoolFile>(config_.spool_dir);
    ftps_client::Sha256 actual;
    {
        std::lock_guard<std::mutex> lock(remote_->mutex);
        try {
            remote_->client.get(object, [&](const char* data, size_t size) {
                spool->write(data, size);
                actual.update(data, size);
            });
        } catch (const ftps_client::RemoteMissing& e) {
            throw Error("archive object " + sha256 + " of tenant " + tenant + " does not exist (" +
                        e.what() + ")");
        }
    }
    return std::make_unique<FtpsObjectReader>(std::move(spool), tenant, sha256, actual.hex());
}

bool FtpsArchive::contains(const std::string& tenant, const std::string& sha256) {
    const std::string object = layout_.object(tenant, sha256);
    std::lock_guard<std::mutex> lock(remote_->mutex);
    return remote_->client.size(object).has_value();
}

std::vector<std::string> FtpsArchive::list(const std::string& tenant) {
    const std::string folder = layout_.objects_dir(tenant);
    std::vector<std::string> names;
    {
        std::lock_guard<std::mutex> lock(remote_->mutex);
        names = remote_->client.list(folder);
    }
    // Temporary files and anything else not named like an object are not objects.
    names.erase(std::remove_if(names.begin(), names.end(),
                               [](const std::string& n) { return !ftps_client::is_sha256_hex(n); }),
                names.end());
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

void FtpsArchive::append_history(const std::string& tenant, const std::string& json) {
    const std::string folder = layout_.history_dir(tenant);
    SpoolFile spool(config_.spool_dir);
    spool.write(json.data(), json.size());
    std::lock_guard<std::mutex> lock(remote_->mutex);
    auto& client = remote_->client;
    // The next number after the highest present (single writer: see ftps_archive.hpp).
    int64_t last = 0;
    for (const std::string& name : client.list(folder)) {
        if (const auto seq = Layout::history_seq(name)) last = std::max(last, *seq);
    }
    upload_then_rename(client, folder, spool.proc_path(), layout_.history_entry(tenant, last + 1));
}

std::vector<std::string> FtpsArchive::history(const std::string& tenant) {
    const std::string folder = layout_.history_dir(tenant);
    std::lock_guard<std::mutex> lock(remote_->mutex);
    auto& client = remote_->client;
    std::map<int64_t, std::string> entries;  // ordered by sequence number
    for (const std::string& name : client.list(folder)) {
        if (const auto seq = Layout::history_seq(name)) entries[*seq] = name;
    }
    std::vector<std::string> out;
    out.reserve(entries.size());
    for (const auto& entry : entries) {
        std::string text;
        client.get(layout_.history_entry(tenant, entry.first),
                   [&](const char* data, size_t size) { text.append(data, size); });
        out.push_back(std::move(text));
    }
    return out;
}

}  // namespace sightline::archive_ftps
