// Where things live on the remote server (README.md, "Layout"):
//   <base>/<tenant>/objects/<sha256>              the bytes as uploaded
//   <base>/<tenant>/objects/tmp-<random>          an object on its way (renamed when complete)
//   <base>/<tenant>/history/<000000000001>.json   one history entry per file, in sequence
//   <base>/<tenant>/history/tmp-<random>          an entry on its way
// Tenant ids and checksums are checked before any path is built from them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace sightline::archive_ftps {

// [a-z0-9][a-z0-9_-]{0,63}, as archive-fs.
void check_tenant_id(const std::string& tenant);
void check_sha256(const std::string& sha256);

class Layout {
public:
    explicit Layout(std::string base_dir) : base_(std::move(base_dir)) {}

    std::string tenant_dir(const std::string& tenant) const;
    std::string objects_dir(const std::string& tenant) const;
    std::string object(const std::string& tenant, const std::string& sha256) const;
    std::string history_dir(const std::string& tenant) const;
    // The file of history entry number seq (from 1).
    std::string history_entry(const std::string& tenant, int64_t seq) const;
    // A fresh temporary name in folder. Not starting with '.': remote_path.hpp refuses those,
    // and some servers hide them from listings.
    static std::string temporary(const std::string& folder);

    // The sequence number of a history file name ("000000000042.json" -> 42), else nullopt.
    static std::optional<int64_t> history_seq(const std::string& name);

private:
    std::string base_;
};

}  // namespace sightline::archive_ftps
