#include "test_support.hpp"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "sha256.hpp"

namespace sightline::archive_fs::testing {

Fixture::Fixture(bool compress, bool fsync) {
    config.root = dir.path() + "/archive";
    config.compress = compress;
    config.fsync = fsync;
    archive = std::make_unique<FsArchive>(config, &host);
}

std::string sha256_hex(const std::string& bytes) {
    Sha256 sha;
    sha.update(bytes.data(), bytes.size());
    return sha.hex();
}

std::string sample_bytes(size_t size, bool compressible, uint64_t seed) {
    std::string out;
    out.reserve(size);
    uint64_t state = seed * 0x9E3779B97F4A7C15ULL + 1;
    while (out.size() < size) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        if (compressible) {
            out += "ORD-" + std::to_string(state % 100000) + ",2026-11-01T10:00:00Z," +
                   std::to_string(state % 977) + ",SKU-" + std::to_string(state % 50) + ",19.99\n";
        } else {
            for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(state >> (8 * i)));
        }
    }
    out.resize(size);
    return out;
}

std::string store(sp::Archive& archive, const std::string& tenant, const std::string& bytes,
                  size_t chunk) {
    auto writer = archive.create(tenant);
    for (size_t at = 0; at < bytes.size(); at += chunk) {
        writer->write(bytes.data() + at, std::min(chunk, bytes.size() - at));
    }
    const std::string sha = sha256_hex(bytes);
    writer->commit(sha);
    return sha;
}

std::string read_all(sp::Archive& archive, const std::string& tenant, const std::string& sha,
                     size_t chunk) {
    auto reader = archive.open(tenant, sha);
    std::string out;
    std::string buffer(chunk, '\0');
    for (;;) {
        const size_t n = reader->read(buffer.data(), buffer.size());
        if (n == 0) break;
        out.append(buffer.data(), n);
    }
    return out;
}

std::vector<std::string> files_under(const std::string& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
         it != std::filesystem::recursive_directory_iterator(); ++it) {
        if (it->is_regular_file()) {
            out.push_back(std::filesystem::relative(it->path(), dir).string());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace sightline::archive_fs::testing
