// The one FTPS connection an archive instance and its writers share, with the lock that keeps
// its operations one at a time, and the upload steps that several operations use.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "ftps_client.hpp"

namespace sightline::archive_ftps {

struct Remote {
    explicit Remote(ftps_client::ConnectSettings settings) : client(std::move(settings)) {}
    std::mutex mutex;
    ftps_client::FtpsClient client;
};

// Uploads local_file as a temporary file in folder, then renames it to final_path, so that a
// reader never sees a partial file. Creates folder if the first attempt is refused. Call with
// remote.mutex held. Throws plugin::Error (the temporary file is removed if possible).
void upload_then_rename(ftps_client::FtpsClient& client, const std::string& folder,
                        const std::string& local_file, const std::string& final_path);

}  // namespace sightline::archive_ftps
