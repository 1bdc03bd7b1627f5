#include "object_writer.hpp"

namespace sightline::archive_ftps {

using plugin::Error;

FtpsObjectWriter::FtpsObjectWriter(std::shared_ptr<Remote> remote, Layout layout,
                                   std::string tenant, const std::string& spool_dir,
                                   plugin::HostServices* host)
    : remote_(std::move(remote)),
      layout_(std::move(layout)),
      tenant_(std::move(tenant)),
      host_(host),
      spool_(spool_dir) {}

void FtpsObjectWriter::write(const char* data, size_t size) {
    if (done_) throw Error("archive-ftps: write after commit");
    spool_.write(data, size);
    sha_.update(data, size);
    bytes_ += static_cast<int64_t>(size);
}

void FtpsObjectWriter::commit(const std::string& sha256) {
    if (done_) throw Error("archive-ftps: commit called twice");
    check_sha256(sha256);
    done_ = true;
    const std::string actual = sha_.hex();
    if (actual != sha256) {
        throw Error("archive-ftps: the bytes written have SHA-256 " + actual + ", not " + sha256 +
                    "; nothing stored");
    }
    const std::string object = layout_.object(tenant_, sha256);
    std::lock_guard<std::mutex> lock(remote_->mutex);
    auto& client = remote_->client;
    // Same bytes, same name: an object already there is kept (it is checked on every read).
    if (client.size(object)) return;
    upload_then_rename(client, layout_.objects_dir(tenant_), spool_.proc_path(), object);
    const auto stored = client.size(object);
    if (!stored || *stored != bytes_) {
        throw Error("archive-ftps: object " + sha256 + " of tenant " + tenant_ +
                        " has the wrong size on the server after upload",
                    true);
    }
    if (host_) {
        host_->log(plugin::LogLevel::debug, "archive_ftps.stored",
                   {{"tenant", tenant_}, {"sha256", sha256}, {"bytes", std::to_string(bytes_)}});
    }
}

}  // namespace sightline::archive_ftps
