// Objects in and out: with and without compression, layout, permissions, abandoned writers.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <utime.h>

#include <filesystem>
#include <fstream>

#include "test_support.hpp"

namespace sightline::archive_fs::testing {
namespace {

mode_t mode_of(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 0777;
}

class RoundTrip : public ::testing::TestWithParam<bool> {
protected:
    bool compressed() const { return GetParam(); }
    std::string suffix() const { return compressed() ? ".zst" : ""; }
    Fixture f{GetParam()};
};

TEST_P(RoundTrip, SmallAndEmptyObjects) {
    for (const std::string& bytes :
         {std::string("order,timestamp\n1,2026-11-01\n"), std::string()}) {
        const std::string sha = store(*f.archive, "acme", bytes);
        EXPECT_TRUE(f.archive->contains("acme", sha));
        EXPECT_EQ(read_all(*f.archive, "acme", sha), bytes);
    }
}

TEST_P(RoundTrip, TwentyMegabytesStreamedWithSmallBuffers) {
    for (bool compressible : {true, false}) {
        const std::string bytes = sample_bytes(20 << 20, compressible, compressible ? 7 : 8);
        const std::string sha = store(*f.archive, "acme", bytes, 4096);
        EXPECT_EQ(read_all(*f.archive, "acme", sha, 1000), bytes);
        const auto size = std::filesystem::file_size(f.root() + "/acme/objects/" +
                                                     sha.substr(0, 2) + "/" + sha + suffix());
        if (compressed() && compressible) {
            EXPECT_LT(size, bytes.size() / 3);
        } else if (!compressed()) {
            EXPECT_EQ(size, bytes.size());
        }
    }
}

TEST_P(RoundTrip, ReadBufferSizesDoNotMatter) {
    // Buffers that end exactly at the end of the data, or just before the frame's checksum, are
    // the edge cases of the streaming decompression.
    for (size_t size : {size_t{0}, size_t{1}, size_t{1000}, size_t{131072}, size_t{1} << 20}) {
        const std::string bytes = sample_bytes(size, true, size);
        const std::string sha = store(*f.archive, "acme", bytes);
        for (size_t chunk :
             {size_t{1}, size_t{3}, size_t{4096}, size_t{65536}, size_t{131072}, size, size + 1}) {
            if (chunk == 0 || (chunk < 64 && size > 131072)) continue;
            EXPECT_EQ(read_all(*f.archive, "acme", sha, chunk), bytes)
                << "size " << size << ", chunk " << chunk;
        }
    }
}

TEST_P(RoundTrip, EveryCompressionLevelRoundTrips) {
    const std::string bytes = sample_bytes(300000, true, 3);
    for (int level : {1, 3, 5, 9, 19}) {
        TempDir dir;
        ArchiveConfig config = f.config;
        config.root = dir.path();
        config.zstd_level = level;
        FsArchive archive(config, nullptr);
        const std::string sha = store(archive, "acme", bytes);
        EXPECT_EQ(read_all(archive, "acme", sha), bytes) << level;
    }
}

TEST_P(RoundTrip, LayoutAndPermissions) {
    const std::string sha = store(*f.archive, "acme", "hello\n");
    const std::string tenant = f.root() + "/acme";
    EXPECT_EQ(files_under(tenant),
              std::vector<std::string>{"objects/" + sha.substr(0, 2) + "/" + sha + suffix()});
    EXPECT_EQ(mode_of(f.root()), 0700u);
    for (const std::string& dir :
         std::vector<std::string>{"", "/objects", "/objects/" + sha.substr(0, 2), "/tmp"}) {
        EXPECT_EQ(mode_of(tenant + dir), 0700u) << dir;
    }
    EXPECT_EQ(mode_of(tenant + "/objects/" + sha.substr(0, 2) + "/" + sha + suffix()), 0600u);
}

TEST_P(RoundTrip, IdenticalBytesStoredTwiceIsFine) {
    const std::string bytes = sample_bytes(100000);
    const std::string first = store(*f.archive, "acme", bytes);
    const std::string second = store(*f.archive, "acme", bytes, 333);
    EXPECT_EQ(first, second);
    EXPECT_EQ(files_under(f.root() + "/acme").size(), 1u);
    EXPECT_EQ(read_all(*f.archive, "acme", first), bytes);
}

TEST_P(RoundTrip, AbandonedWriterLeavesNothing) {
    {
        auto writer = f.archive->create("acme");
        const std::string bytes = sample_bytes(300000);
        writer->write(bytes.data(), bytes.size());
    }
    EXPECT_TRUE(files_under(f.root() + "/acme").empty());
    EXPECT_FALSE(f.archive->contains("acme", sha256_hex(sample_bytes(300000))));
}

TEST_P(RoundTrip, CommitUnderTheWrongChecksumStoresNothing) {
    auto writer = f.archive->create("acme");
    writer->write("abc", 3);
    try {
        writer->commit(sha256_hex("abd"));
        FAIL() << "expected an error";
    } catch (const sp::Error& e) {
        EXPECT_NE(std::string(e.what()).find("nothing was stored"), std::string::npos) << e.what();
    }
    EXPECT_THROW(writer->commit(sha256_hex("abc")), sp::Error);  // the writer is spent
    EXPECT_THROW(writer->write("x", 1), sp::Error);
    EXPECT_TRUE(files_under(f.root() + "/acme").empty());

    auto other = f.archive->create("acme");
    EXPECT_THROW(other->commit("../../etc/passwd"), sp::Error);
    EXPECT_THROW(other->commit(std::string(64, 'A')), sp::Error);
    EXPECT_TRUE(files_under(f.root() + "/acme").empty());
}

TEST_P(RoundTrip, WriterIsSpentAfterCommit) {
    auto writer = f.archive->create("acme");
    writer->write("abc", 3);
    writer->commit(sha256_hex("abc"));
    EXPECT_THROW(writer->write("d", 1), sp::Error);
    EXPECT_THROW(writer->commit(sha256_hex("abc")), sp::Error);
    EXPECT_EQ(read_all(*f.archive, "acme", sha256_hex("abc")), "abc");
}

TEST_P(RoundTrip, DurableModeWorksToo) {
    Fixture durable(compressed(), /*fsync=*/true);
    const std::string sha = store(*durable.archive, "acme", sample_bytes(5000));
    EXPECT_EQ(read_all(*durable.archive, "acme", sha), sample_bytes(5000));
}

INSTANTIATE_TEST_SUITE_P(Compression, RoundTrip, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "zstd" : "none"; });

TEST(Archive, ObjectsStayReadableAfterTheCompressionSettingChanges) {
    TempDir dir;
    ArchiveConfig zstd;
    zstd.root = dir.path();
    zstd.fsync = false;
    ArchiveConfig plain = zstd;
    plain.compress = false;
    const std::string a = store(*std::make_unique<FsArchive>(zstd, nullptr), "acme", "zstd bytes");
    const std::string b = store(*std::make_unique<FsArchive>(plain, nullptr), "acme", "raw bytes");
    FsArchive reader_plain(plain, nullptr);
    FsArchive reader_zstd(zstd, nullptr);
    EXPECT_EQ(read_all(reader_plain, "acme", a), "zstd bytes");
    EXPECT_EQ(read_all(reader_zstd, "acme", b), "raw bytes");
    EXPECT_TRUE(reader_plain.contains("acme", a));
    // Storing b again compressed does not create a second copy.
    store(reader_zstd, "acme", "raw bytes");
    EXPECT_EQ(files_under(dir.path() + "/acme").size(), 2u);
}

TEST(Archive, TenantsHaveSeparateFolders) {
    Fixture f;
    const std::string sha = store(*f.archive, "acme", "same bytes");
    EXPECT_TRUE(f.archive->contains("acme", sha));
    EXPECT_FALSE(f.archive->contains("globex", sha));
    EXPECT_THROW(f.archive->open("globex", sha), sp::Error);
    store(*f.archive, "globex", "same bytes");
    EXPECT_EQ(files_under(f.root() + "/globex").size(), 1u);
    EXPECT_EQ(files_under(f.root() + "/acme").size(), 1u);
}

TEST(Archive, RefusesInvalidTenantIdsAndChecksums) {
    Fixture f;
    const std::string sha = sha256_hex("x");
    for (const std::string& tenant :
         std::vector<std::string>{"", "Acme", "../acme", "a/b", "-a", std::string(65, 'a')}) {
        EXPECT_THROW(f.archive->create(tenant), sp::Error) << tenant;
        EXPECT_THROW(f.archive->open(tenant, sha), sp::Error) << tenant;
        EXPECT_THROW(f.archive->contains(tenant, sha), sp::Error) << tenant;
        EXPECT_THROW(f.archive->append_history(tenant, "{}"), sp::Error) << tenant;
        EXPECT_THROW(f.archive->history(tenant), sp::Error) << tenant;
    }
    for (const std::string& bad :
         std::vector<std::string>{"abc", std::string(64, 'g'), "../" + sha.substr(3)}) {
        EXPECT_THROW(f.archive->open("acme", bad), sp::Error) << bad;
        EXPECT_THROW(f.archive->contains("acme", bad), sp::Error) << bad;
    }
    EXPECT_TRUE(files_under(f.root()).empty());
}

TEST(Archive, StaleTemporaryFilesAreSweptFreshOnesKept) {
    Fixture f;
    { auto writer = f.archive->create("acme"); }  // creates the folders
    const std::string tmp = f.root() + "/acme/tmp";
    std::ofstream(tmp + "/upload-old1") << "left by a crash";
    std::ofstream(tmp + "/upload-new1") << "being written by another process";
    std::ofstream(tmp + "/other") << "not ours";
    const struct utimbuf two_days_ago { time(nullptr) - 2 * 86400, time(nullptr) - 2 * 86400 };
    ASSERT_EQ(utime((tmp + "/upload-old1").c_str(), &two_days_ago), 0);
    ASSERT_EQ(utime((tmp + "/other").c_str(), &two_days_ago), 0);
    auto writer = f.archive->create("acme");
    EXPECT_EQ(files_under(tmp).size(), 3u);  // upload-new1, other, and the new writer's file
    EXPECT_FALSE(std::filesystem::exists(tmp + "/upload-old1"));
}

}  // namespace
}  // namespace sightline::archive_fs::testing
