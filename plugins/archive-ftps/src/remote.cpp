#include "remote.hpp"

#include "layout.hpp"

namespace sightline::archive_ftps {

void upload_then_rename(ftps_client::FtpsClient& client, const std::string& folder,
                        const std::string& local_file, const std::string& final_path) {
    const std::string temporary = Layout::temporary(folder);
    try {
        client.put(temporary, local_file);
    } catch (const plugin::Error& e) {
        // STOR refused at the first upload of a tenant: its folders do not exist yet. Not after
        // other failures (a wrong password must not cost a second failed login).
        if (e.transient() || !client.refused_file_name()) throw;
        client.mkdirs(folder);
        client.put(temporary, local_file);
    }
    try {
        client.rename(temporary, final_path);
    } catch (...) {
        try {
            client.remove(temporary);
        } catch (...) {
            // Best effort: a leftover tmp- file is never listed or read.
        }
        throw;
    }
}

}  // namespace sightline::archive_ftps
