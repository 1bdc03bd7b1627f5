#include "landing_scan.hpp"

#include <dirent.h>
#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <tuple>

#include "file_name.hpp"

namespace sightline::intake_dir {

namespace {

struct DirCloser {
    void operator()(DIR* dir) const { ::closedir(dir); }
};

}  // namespace

int list_folder(int dir_fd, const std::string& dir_path, bool full, Listing& listing) {
    // fdopendir() takes ownership of its descriptor, so hand it a duplicate and keep dir_fd
    // for the *at() calls.
    Fd copy(::fcntl(dir_fd, F_DUPFD_CLOEXEC, 0));
    if (!copy.valid()) return errno;
    std::unique_ptr<DIR, DirCloser> dir(::fdopendir(copy.get()));
    if (!dir) return errno;
    copy.release();
    // The duplicate shares dir_fd's offset; start from the first entry whatever it is.
    ::rewinddir(dir.get());

    for (;;) {
        errno = 0;
        const dirent* entry = ::readdir(dir.get());
        if (entry == nullptr) return errno;
        const std::string name = entry->d_name;
        if (!is_complete_name(name)) continue;  // also drops "." and ".."

        struct stat st {};
        if (stat_entry(dir_fd, name, st) != 0) continue;  // gone since readdir
        if (S_ISDIR(st.st_mode)) continue;                // sub-folders are not uploads

        LandingEntry landing{dir_fd, name, dir_path + "/" + name, full, file_id(st)};
        if (S_ISREG(st.st_mode)) {
            listing.files.push_back(std::move(landing));
        } else if (S_ISLNK(st.st_mode)) {
            listing.symlinks.push_back(std::move(landing));
        } else {
            listing.others.push_back(std::move(landing));
        }
    }
}

void sort_oldest_first(std::vector<LandingEntry>& files) {
    std::sort(files.begin(), files.end(), [](const LandingEntry& a, const LandingEntry& b) {
        return std::tie(a.id.mtime_ns, a.name, a.full) < std::tie(b.id.mtime_ns, b.name, b.full);
    });
}

}  // namespace sightline::intake_dir
