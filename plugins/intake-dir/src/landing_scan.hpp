// Lists the entries of one landing folder that matter to the transport.
#pragma once

#include <string>
#include <vector>

#include "folders.hpp"

namespace sightline::intake_dir {

struct LandingEntry {
    int dir_fd = -1;    // the folder's descriptor, borrowed from the caller
    std::string name;   // file name within the folder
    std::string path;   // absolute path, as handed to the sink and written to the log
    bool full = false;  // in the tenant's full/ folder
    FileId id;
};

struct Listing {
    std::vector<LandingEntry> files;     // complete regular files, in no particular order
    std::vector<LandingEntry> symlinks;  // complete names that are symlinks: skipped
    std::vector<LandingEntry> others;    // complete names that are fifos, sockets, devices
};

// Appends the complete entries of the folder dir_fd (whose absolute path is dir_path) to
// listing. Incomplete names and sub-folders are left out; entries that vanish while the folder
// is read are simply not listed. Returns 0, or the errno value when the folder cannot be read.
int list_folder(int dir_fd, const std::string& dir_path, bool full, Listing& listing);

// Oldest first by mtime, then by name, incremental before full on a tie, so that uploads are
// submitted in the order the tenant made them.
void sort_oldest_first(std::vector<LandingEntry>& files);

}  // namespace sightline::intake_dir
