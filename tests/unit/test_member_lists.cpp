#include "sightline/core/member_lists.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "sightline/testing/plugin_testing.hpp"

namespace sightline::core {
namespace {

constexpr int64_t kDay = 86'400'000'000LL;
constexpr int64_t kStart = 1'780'000'000'000'000LL;  // 2026-05-28, any fixed instant

struct Fixture {
    testing::TempDir dir;
    int64_t now = kStart;
    MemberLists lists{dir.path(), [this] { return now; }};
    MemberListSettings settings;  // keep 10, 7 days
};

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

int64_t count_rows(const std::string& path, const char* table) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    const std::string sql = std::string("SELECT COUNT(*) FROM ") + table;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_step(st), SQLITE_ROW);
    const int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

std::vector<ProfileError> profile_errors(const testing::TempDir& dir, const std::string& api,
                                         Profile* out = nullptr) {
    const std::string path = dir.path() + "/profile.yaml";
    std::ofstream(path) << "version: 1\narchive: {plugin: archive-fs, config: {root: ./a}}\n"
                           "target: {plugin: target-sqlite}\ntenants:\n  - id: acme\n"
                        << api;
    std::vector<ProfileError> errors;
    Profile p = load_profile(path, errors);
    if (out) *out = p;
    return errors;
}

TEST(MemberListSettings, ReadFromTheApiSectionWithDefaults) {
    testing::TempDir dir;
    Profile p;
    EXPECT_TRUE(profile_errors(dir, "api: {tls: off}\n", &p).empty());
    EXPECT_EQ(p.api->member_lists.keep, 10);
    EXPECT_EQ(p.api->member_lists.days, 7);
    EXPECT_TRUE(
        profile_errors(dir, "api: {tls: off, member_lists: {keep: 3, days: 30}}\n", &p).empty());
    EXPECT_EQ(p.api->member_lists.keep, 3);
    EXPECT_EQ(p.api->member_lists.days, 30);
    for (const auto& [api, key] : std::vector<std::pair<std::string, std::string>>{
             {"api: {tls: off, member_lists: {keep: 0}}\n", "api.member_lists.keep"},
             {"api: {tls: off, member_lists: {days: 0}}\n", "api.member_lists.days"},
             {"api: {tls: off, member_lists: {days: x}}\n", "api.member_lists.days"},
             {"api: {tls: off, member_lists: {size: 3}}\n", "api.member_lists.size"},
             {"api: {tls: off, member_lists: 5}\n", "api.member_lists"}}) {
        const auto errors = profile_errors(dir, api);
        ASSERT_EQ(errors.size(), 1u) << api;
        EXPECT_EQ(errors[0].key, key) << api;
    }
}

TEST(MemberListCodec, RoundTripsAscendingIdsCompactly) {
    const std::vector<std::vector<uint64_t>> cases = {
        {}, {0}, {0, 1, 2}, {5, 127, 128, 16'383, 16'384}, {1, UINT64_MAX - 1, UINT64_MAX}};
    for (const auto& ids : cases) EXPECT_EQ(decode_members(encode_members(ids)), ids);
    std::vector<uint64_t> dense;
    for (uint64_t i = 1000; i < 101'000; ++i) dense.push_back(i);
    const std::string bytes = encode_members(dense);
    EXPECT_LE(bytes.size(), dense.size() + 4) << "consecutive ids take one byte each";
    EXPECT_EQ(decode_members(bytes), dense);
}

TEST(MemberListCodec, RefusesWhatIsNotAStoredList) {
    EXPECT_THROW(decode_members(""), std::runtime_error);
    EXPECT_THROW(decode_members(std::string("\x02\x01", 2)), std::runtime_error) << "format";
    EXPECT_THROW(decode_members(std::string("\x01\x81", 2)), std::runtime_error) << "truncated";
    EXPECT_THROW(decode_members(std::string("\x01\x05\x00", 3)), std::runtime_error)
        << "a repeated id";
    std::string beyond = encode_members({UINT64_MAX});
    beyond += '\x01';
    EXPECT_THROW(decode_members(beyond), std::runtime_error) << "past 64 bits";
    EXPECT_THROW(decode_members(std::string("\x01") + std::string(10, '\xff') + "\x01"),
                 std::runtime_error)
        << "an overlong varint";
}

TEST(MemberListDiff, OneListByIdOfAddedAndRemoved) {
    const auto changes = diff_members({1, 3, 5, 7}, {2, 3, 7, 8, 9});
    const std::vector<MemberChange> expected = {
        {1, false}, {2, true}, {5, false}, {8, true}, {9, true}};
    EXPECT_EQ(changes, expected);
    EXPECT_TRUE(diff_members({4, 5}, {4, 5}).empty());
    EXPECT_EQ(diff_members({}, {6}), (std::vector<MemberChange>{{6, true}}));
    EXPECT_EQ(diff_members({6}, {}), (std::vector<MemberChange>{{6, false}}));
}

TEST(MemberLists, ATokenNamesItsEvaluationForItsTenantAndSegmentOnly) {
    Fixture f;
    const std::string token = f.lists.record("acme", "vip", {3, 9, 12}, 111, "ev", f.settings);
    EXPECT_TRUE(is_member_list_token(token)) << token;
    const auto found = f.lists.find("acme", "vip", token, f.settings);
    ASSERT_EQ(found.found, MemberLists::Found::yes);
    EXPECT_EQ(found.members->customers, (std::vector<uint64_t>{3, 9, 12}));
    EXPECT_EQ(found.members->as_of_us, 111);
    EXPECT_EQ(found.members->evaluator, "ev");
    EXPECT_EQ(found.members->recorded_us, kStart);
    EXPECT_TRUE(found.members->since_token.empty());
    EXPECT_EQ(f.lists.find("acme", "lapsed", token, f.settings).found, MemberLists::Found::foreign);
    EXPECT_EQ(f.lists.find("other", "vip", token, f.settings).found, MemberLists::Found::foreign);
    EXPECT_EQ(f.lists.find("acme", "vip", std::string(32, 'a'), f.settings).found,
              MemberLists::Found::gone);
    EXPECT_NE(f.lists.record("acme", "vip", {3, 9, 12}, 111, "ev", f.settings), token)
        << "every evaluation gets its own token";
    EXPECT_FALSE(is_member_list_token("ABCDEF0123456789abcdef0123456789"));
    EXPECT_FALSE(is_member_list_token("abc"));
}

TEST(MemberLists, StoreIsPrivate) {
    Fixture f;
    f.lists.record("acme", "vip", {1}, 1, "ev", f.settings);
    struct stat st {};
    ASSERT_EQ(::stat(f.lists.path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    ASSERT_EQ(::stat(std::filesystem::path(f.lists.path()).parent_path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST(MemberLists, EqualListsShareOneStoredList) {
    Fixture f;
    const std::vector<uint64_t> ids = {10, 20, 30};
    const std::string a = f.lists.record("acme", "vip", ids, 1, "ev", f.settings);
    const std::string b = f.lists.record("acme", "vip", ids, 2, "ev", f.settings);
    const std::string c = f.lists.record("acme", "big", ids, 2, "ev", f.settings);
    EXPECT_NE(a, b);
    EXPECT_EQ(count_rows(f.lists.path(), "evaluations"), 3);
    EXPECT_EQ(count_rows(f.lists.path(), "lists"), 1);
    f.lists.record("other", "vip", ids, 2, "ev", f.settings);
    EXPECT_EQ(count_rows(f.lists.path(), "lists"), 2) << "tenants never share a list";
}

TEST(MemberLists, OnlyTheLastKeepEvaluationsOfASegmentStay) {
    Fixture f;
    f.settings.keep = 3;
    std::vector<std::string> tokens;
    for (uint64_t i = 0; i < 5; ++i) {
        tokens.push_back(f.lists.record("acme", "vip", {i}, 0, "ev", f.settings));
        f.now += 1000;
    }
    const std::string elsewhere = f.lists.record("acme", "lapsed", {99}, 0, "ev", f.settings);
    for (size_t i = 0; i < 5; ++i)
        EXPECT_EQ(f.lists.find("acme", "vip", tokens[i], f.settings).found,
                  i < 2 ? MemberLists::Found::gone : MemberLists::Found::yes)
            << i;
    EXPECT_EQ(f.lists.find("acme", "lapsed", elsewhere, f.settings).found, MemberLists::Found::yes)
        << "keep counts per segment";
    EXPECT_EQ(f.lists.stored("acme", "vip").size(), 3u);
    EXPECT_EQ(count_rows(f.lists.path(), "lists"), 4) << "lists of removed evaluations go";
}

TEST(MemberLists, EvaluationsOlderThanTheDaysExpire) {
    Fixture f;
    f.settings.days = 2;
    const std::string old = f.lists.record("acme", "vip", {1, 2}, 0, "ev", f.settings);
    f.now += kDay;
    const std::string newer = f.lists.record("acme", "vip", {1, 2, 3}, 0, "ev", f.settings);
    f.now += kDay;  // old is exactly 2 days old: still kept
    EXPECT_EQ(f.lists.find("acme", "vip", old, f.settings).found, MemberLists::Found::yes);
    f.now += 1;
    EXPECT_EQ(f.lists.find("acme", "vip", old, f.settings).found, MemberLists::Found::gone)
        << "expired on a read, without any new evaluation";
    EXPECT_EQ(f.lists.find("acme", "vip", newer, f.settings).found, MemberLists::Found::yes);
    f.now += kDay;
    f.lists.record("acme", "lapsed", {7}, 0, "ev", f.settings);
    EXPECT_TRUE(f.lists.stored("acme", "vip").empty())
        << "recording any list removes every expired one";
    EXPECT_EQ(count_rows(f.lists.path(), "lists"), 1);
}

TEST(MemberLists, AChangesRecordKeepsTheListItWasDiffedFrom) {
    Fixture f;
    f.settings.keep = 2;
    const std::string first = f.lists.record("acme", "vip", {1, 2, 3}, 10, "ev", f.settings);
    const auto since = f.lists.find("acme", "vip", first, f.settings);
    ASSERT_EQ(since.found, MemberLists::Found::yes);
    const std::string second =
        f.lists.record("acme", "vip", {2, 3, 4}, 20, "ev", f.settings, &*since.members);
    f.lists.record("acme", "vip", {5}, 30, "ev", f.settings);
    EXPECT_EQ(f.lists.find("acme", "vip", first, f.settings).found, MemberLists::Found::gone);
    const auto later = f.lists.find("acme", "vip", second, f.settings);
    ASSERT_EQ(later.found, MemberLists::Found::yes);
    EXPECT_EQ(later.members->since_token, first);
    EXPECT_EQ(later.members->since_as_of_us, 10);
    EXPECT_EQ(later.members->since_customers, (std::vector<uint64_t>{1, 2, 3}))
        << "the since list outlives its own token while the changes answer is kept";
}

TEST(MemberLists, LaterPagesOfOneEvaluationReuseItsToken) {
    Fixture f;
    const std::string first = f.lists.record("acme", "vip", {1, 2}, 10, "ev", f.settings);
    EXPECT_EQ(f.lists.record_or_reuse("acme", "vip", {1, 2}, 10, "ev", f.settings), first);
    EXPECT_NE(f.lists.record_or_reuse("acme", "vip", {1, 2}, 11, "ev", f.settings), first)
        << "another as_of is another evaluation";
    EXPECT_NE(f.lists.record_or_reuse("acme", "vip", {1, 2, 3}, 11, "ev", f.settings), first);
    EXPECT_EQ(f.lists.stored("acme", "vip").size(), 3u);
}

TEST(MemberLists, ADeletedCustomerIsGoneFromTheStoredBytes) {
    Fixture f;
    const uint64_t deleted = 4'242'424'242'424'242ULL;
    const std::vector<uint64_t> before = {17, 99'000, deleted, deleted + 77};
    const std::string token = f.lists.record("acme", "vip", before, 10, "ev", f.settings);
    const auto since = f.lists.find("acme", "vip", token, f.settings);
    const std::string changes =
        f.lists.record("acme", "vip", {17, deleted}, 20, "ev", f.settings, &*since.members);
    const std::string elsewhere = f.lists.record("other", "vip", {deleted}, 20, "ev", f.settings);
    const std::string old_bytes = encode_members(before);
    ASSERT_NE(file_bytes(f.lists.path()).find(old_bytes), std::string::npos)
        << "the test looks for the encoded list in the file";

    EXPECT_EQ(f.lists.remove_customers("acme", {deleted, 5}), 2u);

    const std::string file = file_bytes(f.lists.path());
    EXPECT_EQ(file.find(old_bytes), std::string::npos) << "no copy of the old list is left";
    EXPECT_EQ(file.find(encode_members({17, deleted})), std::string::npos);
    EXPECT_NE(file.find(encode_members({17, 99'000, deleted + 77})), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(f.lists.path() + "-journal"));
    for (const auto& m : f.lists.stored("acme", "vip")) {
        for (const auto* ids : {&m.customers, &m.since_customers})
            EXPECT_EQ(std::count(ids->begin(), ids->end(), deleted), 0);
    }
    auto first = f.lists.find("acme", "vip", token, f.settings);
    ASSERT_EQ(first.found, MemberLists::Found::yes) << "tokens stay usable";
    EXPECT_TRUE(first.members->scrubbed);
    EXPECT_EQ(first.members->customers, (std::vector<uint64_t>{17, 99'000, deleted + 77}));
    auto second = f.lists.find("acme", "vip", changes, f.settings);
    EXPECT_TRUE(second.members->scrubbed);
    EXPECT_TRUE(second.members->since_scrubbed);
    auto other = f.lists.find("other", "vip", elsewhere, f.settings);
    EXPECT_EQ(other.members->customers, (std::vector<uint64_t>{deleted}))
        << "another tenant's customer of the same id is not touched";
    EXPECT_FALSE(other.members->scrubbed);
}

// Lists larger than a page live in overflow pages, which SQLite frees (not overwrites) when a
// row changes: without secure_delete the old bytes would stay in the file.
TEST(MemberLists, ALargeListLeavesNoCopyInFreedPages) {
    Fixture f;
    const uint64_t gap_before = 0x123456789abULL, gap_after = 0xfedcba987ULL;
    std::vector<uint64_t> ids;
    for (uint64_t i = 1; i <= 6000; ++i) ids.push_back(i);
    const uint64_t deleted = ids.back() + gap_before;
    ids.push_back(deleted);
    for (uint64_t i = 0; i < 6000; ++i) ids.push_back(deleted + gap_after + i);
    // The two gaps around the deleted id, as stored: only a list holding it has them in a row.
    const std::string window = encode_members({gap_before, gap_before + gap_after}).substr(1);
    f.lists.record("acme", "everyone", ids, 10, "ev", f.settings);
    ASSERT_NE(file_bytes(f.lists.path()).find(window), std::string::npos);
    EXPECT_EQ(f.lists.remove_customers("acme", {deleted}), 1u);
    EXPECT_EQ(file_bytes(f.lists.path()).find(window), std::string::npos);
    EXPECT_EQ(f.lists.stored("acme", "everyone")[0].customers.size(), ids.size() - 1);
}

TEST(MemberLists, ADeletionBeforeAnyListMakesNoFile) {
    Fixture f;
    EXPECT_EQ(f.lists.remove_customers("acme", {1}), 0u);
    EXPECT_FALSE(std::filesystem::exists(f.lists.path()));
}

TEST(MemberLists, AnotherProcessSeesTheSameLists) {
    Fixture f;
    const std::string token = f.lists.record("acme", "vip", {1, 2, 3}, 10, "ev", f.settings);
    MemberLists cli(f.dir.path(), [&f] { return f.now; });  // e.g. `sightline delete`
    EXPECT_EQ(cli.remove_customers("acme", {2}), 1u);
    EXPECT_EQ(f.lists.find("acme", "vip", token, f.settings).members->customers,
              (std::vector<uint64_t>{1, 3}));
}

}  // namespace
}  // namespace sightline::core
