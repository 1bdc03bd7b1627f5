// A local temporary file that holds an object on its way to or from the server, so memory does
// not grow with the object's size. Unlinked as soon as it is created: nothing is left behind,
// whatever happens to the process.
#pragma once

#include <cstddef>
#include <string>

namespace sightline::archive_ftps {

class SpoolFile {
public:
    // Creates the file in folder (created 0700 if missing). Throws plugin::Error.
    explicit SpoolFile(const std::string& folder);
    ~SpoolFile();
    SpoolFile(const SpoolFile&) = delete;
    SpoolFile& operator=(const SpoolFile&) = delete;

    void write(const char* data, size_t size);
    // Up to size bytes from the read position; 0 at the end.
    size_t read(char* buffer, size_t size);
    void rewind();
    // A path through which other code (the uploader) can open the same file.
    std::string proc_path() const;

private:
    int fd_ = -1;
    std::string folder_;  // named in errors: "no space left" says where
};

}  // namespace sightline::archive_ftps
