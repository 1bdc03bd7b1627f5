// Shared fixtures of the archive-fs tests.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config.hpp"
#include "fs_archive.hpp"

namespace sightline::archive_fs::testing {

namespace sp = sightline::plugin;

// A fresh folder under $TMPDIR, removed with everything in it at destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

class FakeHost final : public sp::HostServices {
public:
    explicit FakeHost(std::string state_dir) : state_dir_(std::move(state_dir)) {}
    void log(sp::LogLevel, std::string_view event, const sp::LogFields&) override {
        events.emplace_back(event);
    }
    std::string state_dir() override { return state_dir_; }
    int64_t now_us() override { return 1'700'000'000'000'000; }
    std::vector<std::string> tenants() override { return {"acme", "globex"}; }

    std::vector<std::string> events;

private:
    std::string state_dir_;
};

struct Fixture {
    explicit Fixture(bool compress = true, bool fsync = false);
    TempDir dir;
    FakeHost host{dir.path()};
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
