// Reading verifies: damaged objects throw, missing objects throw clearly.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "test_support.hpp"

namespace sightline::archive_fs::testing {
namespace {

std::string object_file(const Fixture& f, const std::string& tenant, const std::string& sha) {
    const std::string base = f.root() + "/" + tenant + "/objects/" + sha.substr(0, 2) + "/" + sha;
    return std::filesystem::exists(base) ? base : base + ".zst";
}

void flip_byte(const std::string& path, std::streamoff offset) {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    ASSERT_TRUE(file) << path;
    file.seekg(offset);
    char c = 0;
    file.read(&c, 1);
    c = static_cast<char>(c ^ 0x01);
    file.seekp(offset);
    file.write(&c, 1);
}

// Reads to the end; returns the error message ("" if none).
std::string read_error(sp::Archive& archive, const std::string& tenant, const std::string& sha) {
    try {
        read_all(archive, tenant, sha, 1000);
    } catch (const sp::Error& e) {
        return e.what();
    }
    return "";
}

class Integrity : public ::testing::TestWithParam<bool> {
protected:
    Fixture f{GetParam()};
};

TEST_P(Integrity, AFlippedByteMakesTheReadThrow) {
    const std::string bytes = sample_bytes(200000);
    const std::string sha = store(*f.archive, "acme", bytes);
    const std::string path = object_file(f, "acme", sha);
    const auto size = static_cast<std::streamoff>(std::filesystem::file_size(path));
    for (std::streamoff offset : {size / 2, size - 1}) {
        flip_byte(path, offset);
        const std::string error = read_error(*f.archive, "acme", sha);
        EXPECT_NE(error.find("archive object " + sha + " of tenant acme is corrupt: "),
                  std::string::npos)
            << error;
        flip_byte(path, offset);  // repaired
        EXPECT_EQ(read_error(*f.archive, "acme", sha), "");
    }
}

TEST_P(Integrity, ATruncatedObjectMakesTheReadThrow) {
    const std::string bytes = sample_bytes(100000);
    const std::string sha = store(*f.archive, "acme", bytes);
    const std::string path = object_file(f, "acme", sha);
    std::filesystem::resize_file(path, std::filesystem::file_size(path) - 10);
    EXPECT_NE(read_error(*f.archive, "acme", sha).find("is corrupt"), std::string::npos);
    std::filesystem::resize_file(path, 0);
    EXPECT_NE(read_error(*f.archive, "acme", sha).find("is corrupt"), std::string::npos);
}

TEST_P(Integrity, OtherValidBytesUnderTheNameAreAChecksumMismatch) {
    const std::string sha = store(*f.archive, "acme", "the real bytes");
    const std::string other = store(*f.archive, "acme", "other bytes!!!");
    std::filesystem::copy_file(object_file(f, "acme", other), object_file(f, "acme", sha),
                               std::filesystem::copy_options::overwrite_existing);
    EXPECT_EQ(read_error(*f.archive, "acme", sha),
              "archive object " + sha + " of tenant acme is corrupt: checksum mismatch");
}

TEST_P(Integrity, AReaderStaysFailedAfterTheError) {
    const std::string sha = store(*f.archive, "acme", "abc");
    // zstd: the last content byte, just before the frame's 4-byte checksum.
    const std::string path = object_file(f, "acme", sha);
    const auto size = static_cast<std::streamoff>(std::filesystem::file_size(path));
    flip_byte(path, GetParam() ? size - 5 : 0);
    auto reader = f.archive->open("acme", sha);
    char buffer[64];
    EXPECT_THROW(
        {
            while (reader->read(buffer, sizeof buffer) > 0) {
            }
        },
        sp::Error);
    EXPECT_THROW(reader->read(buffer, sizeof buffer), sp::Error);
}

TEST_P(Integrity, AVerifiedReaderKeepsReturningZero) {
    const std::string sha = store(*f.archive, "acme", "abc");
    auto reader = f.archive->open("acme", sha);
    char buffer[64];
    EXPECT_EQ(reader->read(buffer, sizeof buffer), 3u);
    EXPECT_EQ(reader->read(buffer, sizeof buffer), 0u);
    EXPECT_EQ(reader->read(buffer, sizeof buffer), 0u);
}

INSTANTIATE_TEST_SUITE_P(Compression, Integrity, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "zstd" : "none"; });

TEST(Integrity, MissingObjectIsAClearError) {
    Fixture f;
    const std::string sha = sha256_hex("never stored");
    EXPECT_FALSE(f.archive->contains("acme", sha));
    try {
        f.archive->open("acme", sha);
        FAIL() << "expected an error";
    } catch (const sp::Error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("archive object " + sha + " of tenant acme does not exist"),
                  std::string::npos)
            << what;
        EXPECT_FALSE(e.transient());
    }
}

}  // namespace
}  // namespace sightline::archive_fs::testing
