// Virtual paths, the landing folder on disk, status notes and the quota count.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>

#include "landing.hpp"
#include "sightline/testing/plugin_testing.hpp"
#include "status_note.hpp"
#include "virtual_path.hpp"

namespace sightline::intake_ftps {
namespace {

const std::vector<std::string> kTenants{"acme", "globex"};

Location at(const std::string& arg, const std::string& tenant = "acme", const VPath& cwd = {}) {
    VPath path;
    std::string why;
    if (!resolve(cwd, arg, path, why)) return Location{};
    return locate(path, tenant, kTenants);
}

TEST(VirtualPath, TraversalIsRefusedNotResolved) {
    VPath out;
    std::string why;
    for (const char* arg : {"..", "../x", "/../x", "full/../../globex/x", "a/./../b"}) {
        EXPECT_FALSE(resolve({}, arg, out, why)) << arg;
        EXPECT_NE(why.find(".."), std::string::npos);
    }
    EXPECT_FALSE(resolve({"full"}, "..", out, why));
}

TEST(VirtualPath, BadNamesAreRefused) {
    VPath out;
    std::string why;
    for (const std::string& arg : std::vector<std::string>{
             "a\\b", ".hidden", ".partial/x", std::string("a\x01") + "b", "a\x7f", "\xc3\x28",
             "\xed\xa0\x80", "\xc2\x85", std::string(256, 'x')}) {
        EXPECT_FALSE(resolve({}, arg, out, why)) << arg;
    }
    EXPECT_TRUE(resolve({}, std::string(255, 'x'), out, why));
    EXPECT_TRUE(resolve({}, "caf\xc3\xa9 sales (1).csv", out, why));
}

TEST(VirtualPath, PercentEncodingStaysLiteral) {
    VPath out;
    std::string why;
    ASSERT_TRUE(resolve({}, "%2e%2e/x.csv", out, why));
    EXPECT_EQ(out, (VPath{"%2e%2e", "x.csv"}));
    EXPECT_EQ(at("%2e%2e/x.csv").place, Place::none);
    const Location literal = at("%2e%2e");
    EXPECT_EQ(literal.place, Place::upload);
    EXPECT_EQ(literal.name, "%2e%2e");  // a harmless file name in the tenant's own folder
}

TEST(VirtualPath, AccountSeesOnlyItsTenant) {
    EXPECT_EQ(at("/").place, Place::tenant_root);
    EXPECT_EQ(at("/").tenant, "acme");
    EXPECT_EQ(at("a.csv").place, Place::upload);
    EXPECT_EQ(at("/full/a.csv").place, Place::full_upload);
    EXPECT_EQ(at("a.csv", "acme", {"full"}).place, Place::full_upload);
    EXPECT_EQ(at("status/n.txt").place, Place::status_note);
    EXPECT_EQ(at("/globex/a.csv").place, Place::none);
    EXPECT_EQ(at("/etc/passwd").place, Place::none);
    EXPECT_EQ(at("full/x/y").place, Place::none);
    EXPECT_EQ(at("full").place, Place::full_dir);
}

TEST(VirtualPath, RelayReachesListedTenantsOnly) {
    EXPECT_EQ(at("/", "*").place, Place::relay_root);
    const Location l = at("/globex/full/a.csv", "*");
    EXPECT_EQ(l.place, Place::full_upload);
    EXPECT_EQ(l.tenant, "globex");
    EXPECT_EQ(at("/acme/a.csv", "*").place, Place::upload);
    EXPECT_EQ(at("/a.csv", "*").place, Place::none);
    EXPECT_EQ(at("/initech/a.csv", "*").place, Place::none);
}

TEST(VirtualPath, ToString) {
    EXPECT_EQ(to_string({}), "/");
    EXPECT_EQ(to_string({"full", "a"}), "/full/a");
}

class LandingTest : public ::testing::Test {
protected:
    LandingTest() : landing_(dir_.path() + "/landing") { landing_.prepare(kTenants); }
    void write(const std::string& path, const std::string& text) {
        std::ofstream(path, std::ios::binary) << text;
    }
    sightline::testing::TempDir dir_;
    Landing landing_;
};

TEST_F(LandingTest, PrepareMakesPrivateFolders) {
    for (Sub sub : {Sub::root, Sub::full, Sub::status, Sub::partial}) {
        struct stat st {};
        ASSERT_EQ(::stat(landing_.path("acme", sub).c_str(), &st), 0);
        EXPECT_EQ(st.st_mode & 0777, 0700u);
    }
    EXPECT_THROW(landing_.prepare({"../x"}), plugin::Error);
}

TEST_F(LandingTest, SymlinkedFoldersAreNotFollowed) {
    const std::string outside = dir_.path() + "/outside";
    ASSERT_EQ(::mkdir(outside.c_str(), 0700), 0);
    ASSERT_EQ(::rmdir(landing_.path("globex", Sub::full).c_str()), 0);
    ASSERT_EQ(::symlink(outside.c_str(), landing_.path("globex", Sub::full).c_str()), 0);
    EXPECT_FALSE(landing_.open_dir("globex", Sub::full).valid());
    EXPECT_THROW(landing_.prepare(kTenants), plugin::Error);
    EXPECT_FALSE(landing_.open_dir("..", Sub::root).valid());
}

TEST_F(LandingTest, ListingHidesSymlinksDotNamesAndSpecialFiles) {
    write(landing_.path("acme", Sub::root, "a.csv"), "abc");
    ASSERT_EQ(::symlink("/etc/passwd", landing_.path("acme", Sub::root, "link.csv").c_str()), 0);
    ASSERT_EQ(::mkfifo(landing_.path("acme", Sub::root, "fifo").c_str(), 0600), 0);
    Fd dir = landing_.open_dir("acme", Sub::root);
    std::vector<std::string> names;
    for (const auto& e : Landing::list(dir.get())) names.push_back(e.name);
    EXPECT_EQ(names, (std::vector<std::string>{"a.csv", "full", "status"}));
    Entry e;
    EXPECT_TRUE(Landing::stat_file(dir.get(), "a.csv", e));
    EXPECT_EQ(e.size, 3);
    EXPECT_FALSE(Landing::stat_file(dir.get(), "link.csv", e));
}

TEST_F(LandingTest, UsageCountsUploadsPartialsAndStatusNotes) {
    write(landing_.path("acme", Sub::root, "a.csv"), "12345");
    write(landing_.path("acme", Sub::full, "b.csv"), "123");
    write(landing_.path("acme", Sub::partial, "0123abcd"), "12");
    // Notes count too: the server writes one per upload, so left out they would let many tiny
    // uploads fill the disk's inodes.
    write(landing_.path("acme", Sub::status, "n.txt"), "1234567890");
    const Usage usage = landing_.usage("acme");
    EXPECT_EQ(usage.files, 4);
    EXPECT_EQ(usage.bytes, 20);
    EXPECT_EQ(landing_.usage("globex").files, 0);
}

TEST(StatusNote, NameCarriesTimeNameAndOutcome) {
    // 2023-11-14T22:13:20Z
    EXPECT_EQ(note_name(1'700'000'000'000'000, "sales.csv", "loaded"),
              "20231114T221320Z-sales.csv.loaded.txt");
    const std::string long_name = std::string(250, 'x') + "\xc3\xa9.csv";
    const std::string name = note_name(1'700'000'000'000'000, long_name, "refused_pii");
    EXPECT_LE(name.size(), 255u);
    EXPECT_NE(name.find(".refused_pii.txt"), std::string::npos);
    EXPECT_TRUE(valid_component(name));
}

TEST(StatusNote, OneLine) {
    EXPECT_EQ(one_line("a\r\nb\tc"), "a  b c");
    EXPECT_EQ(one_line(std::string(500, 'x'), 10).size(), 10u);
}

TEST_F(LandingTest, NoteIsWrittenInStatusDatedByTheHostClock) {
    const int64_t now = 1'700'000'000'000'000;
    const std::string a = write_note(landing_, "acme", now, "s.csv", "loaded", "loaded 3 lines");
    const std::string b = write_note(landing_, "acme", now, "s.csv", "loaded", "again");
    EXPECT_EQ(a, "20231114T221320Z-s.csv.loaded.txt");
    EXPECT_NE(b, a);
    std::ifstream in(landing_.path("acme", Sub::status, a));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text, "s.csv: loaded\nloaded 3 lines\n");
    struct stat st {};
    ASSERT_EQ(::stat(landing_.path("acme", Sub::status, a).c_str(), &st), 0);
    EXPECT_EQ(st.st_mtim.tv_sec, now / 1'000'000);
}

}  // namespace
}  // namespace sightline::intake_ftps
