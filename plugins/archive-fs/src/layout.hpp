// Where things live on disk:
//   <root>/<tenant>/objects/<sha[0:2]>/<sha>[.zst]   one file per object (.zst when compressed)
//   <root>/<tenant>/tmp/                              objects being written
//   <root>/<tenant>/history.jsonl                     one JSON document per line
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sightline::archive_fs {

struct StoredObject {
    std::string path;
    bool compressed = false;
};

class TenantLayout {
public:
    // Checks the tenant id (throws Error) before building any path from it.
    TenantLayout(const std::string& root, const std::string& tenant);

    const std::string& tenant() const { return tenant_; }
    const std::string& dir() const { return dir_; }
    std::string objects_dir() const { return dir_ + "/objects"; }
    std::string tmp_dir() const { return dir_ + "/tmp"; }
    std::string history_file() const { return dir_ + "/history.jsonl"; }
    // The sha must have been checked (check_sha256) by the caller.
    std::string object_dir(const std::string& sha256) const {
        return objects_dir() + "/" + sha256.substr(0, 2);
    }
    std::string object_path(const std::string& sha256, bool compressed) const {
        return object_dir(sha256) + "/" + sha256 + (compressed ? ".zst" : "");
    }

    // The stored file of an object in either form, if there is one.
    std::optional<StoredObject> find(const std::string& sha256) const;

    // The checksums of every stored object, ascending, each once. Only committed objects count:
    // writers stream into tmp/, and anything in objects/ that is not named like an object is
    // ignored. A tenant without objects (or without a folder) has none.
    std::vector<std::string> list_objects() const;

    // Creates the tenant's folders that are missing (0700), durably when asked.
    void create_folders(bool durable) const;

private:
    std::string tenant_;
    std::string dir_;
};

}  // namespace sightline::archive_fs
