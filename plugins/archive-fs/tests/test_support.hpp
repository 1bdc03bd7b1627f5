// Shared fixtures of the archive-fs tests.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sightline/testing/plugin_testing.hpp"

#include "config.hpp"
#include "fs_archive.hpp"

namespace sightline::archive_fs::testing {

namespace sp = sightline::plugin;

using sightline::testing::FakeHost;
using sightline::testing::TempDir;

struct Fixture {
    explicit Fixture(bool compress = true, bool fsync = false);
    TempDir dir;
    FakeHost host;
    ArchiveConfig config;
    std::unique_ptr<FsArchive> archive;
    std::string root() const { return config.root; }
};

std::string sha256_hex(const std::string& bytes);

// Deterministic bytes that compress somewhat (text-like), or not at all (random).
std::string sample_bytes(size_t size, bool compressible = true, uint64_t seed = 1);

// Writes bytes through a writer in chunks of `chunk` and commits under their checksum.
std::string store(sp::Archive& archive, const std::string& tenant, const std::string& bytes,
                  size_t chunk = 65536);

// Reads an object back whole, in reads of `chunk` bytes.
std::string read_all(sp::Archive& archive, const std::string& tenant, const std::string& sha,
                     size_t chunk = 65536);

// Every regular file under a folder, relative, sorted.
std::vector<std::string> files_under(const std::string& dir);

}  // namespace sightline::archive_fs::testing
