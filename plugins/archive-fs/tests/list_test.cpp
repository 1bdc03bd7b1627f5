// list(): the checksums of a tenant's committed objects, ascending, in both storage forms, and
// nothing that is still being written or is not an object.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "test_support.hpp"

namespace sightline::archive_fs::testing {
namespace {

namespace fs = std::filesystem;

TEST(List, AnUnknownTenantHasNoObjects) {
    Fixture f;
    EXPECT_TRUE(f.archive->list("acme").empty());
    EXPECT_FALSE(fs::exists(f.root() + "/acme"));  // listing creates nothing
    EXPECT_THROW(f.archive->list("../acme"), sp::Error);
}

TEST(List, CommittedObjectsAscendingOncePerTenant) {
    Fixture f;
    std::vector<std::string> expected;
    for (int i = 0; i < 40; ++i)
        expected.push_back(store(*f.archive, "acme", sample_bytes(100, true, i)));
    store(*f.archive, "acme", sample_bytes(100, true, 3));  // the same bytes again
    store(*f.archive, "globex", "other tenant");
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(f.archive->list("acme"), expected);
    EXPECT_EQ(f.archive->list("globex"), std::vector<std::string>{sha256_hex("other tenant")});
}

TEST(List, ObjectsInBothStorageForms) {
    Fixture zstd(true);
    const std::string a = store(*zstd.archive, "acme", "compressed");
    ArchiveConfig plain = zstd.config;
    plain.compress = false;
    FsArchive uncompressed(plain, nullptr);
    const std::string b = store(uncompressed, "acme", "not compressed");
    std::vector<std::string> expected{a, b};
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(zstd.archive->list("acme"), expected);
    EXPECT_EQ(uncompressed.list("acme"), expected);
}

TEST(List, NeverListsWhatIsBeingWrittenOrAbandoned) {
    Fixture f;
    const std::string kept = store(*f.archive, "acme", "kept");
    auto open_writer = f.archive->create("acme");
    open_writer->write("partial", 7);
    {
        auto abandoned = f.archive->create("acme");
        abandoned->write("abandoned", 9);
    }
    auto refused = f.archive->create("acme");
    refused->write("wrong", 5);
    EXPECT_THROW(refused->commit(sha256_hex("right")), sp::Error);
    EXPECT_EQ(f.archive->list("acme"), std::vector<std::string>{kept});
}

TEST(List, IgnoresFilesThatAreNotObjects) {
    Fixture f;
    const std::string kept = store(*f.archive, "acme", "kept");
    const std::string objects = f.root() + "/acme/objects";
    const std::string other = sha256_hex("elsewhere");
    fs::create_directories(objects + "/" + other.substr(0, 2));
    fs::create_directories(objects + "/zz");
    // Misfiled, misnamed, half-named, a folder with an object's name, a stray file.
    std::ofstream(objects + "/zz/" + other) << "x";
    std::ofstream(objects + "/" + other.substr(0, 2) + "/" + other + ".tmp") << "x";
    std::ofstream(objects + "/" + other.substr(0, 2) + "/" + other.substr(0, 63)) << "x";
    std::ofstream(objects + "/" + kept.substr(0, 2) + "/README") << "x";
    fs::create_directories(objects + "/" + other.substr(0, 2) + "/" + other);
    std::ofstream(objects + "/stray") << "x";
    EXPECT_EQ(f.archive->list("acme"), std::vector<std::string>{kept});
}

}  // namespace
}  // namespace sightline::archive_fs::testing
