// The tenant history: one JSON document per line, appended durably, read back in order.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "test_support.hpp"

namespace sightline::archive_fs::testing {
namespace {

TEST(History, AppendsAndReadsInOrder) {
    Fixture f(true, /*fsync=*/true);
    EXPECT_TRUE(f.archive->history("acme").empty());
    const std::vector<std::string> entries = {
        R"({"file":"a.csv","result":"loaded"})", R"({"file":"b.csv","result":"refused"})",
        R"({"deleted":{"customers":["1"]}})", R"("a string is a JSON document too")"};
    for (const auto& entry : entries) f.archive->append_history("acme", entry);
    EXPECT_EQ(f.archive->history("acme"), entries);

    const std::string path = f.root() + "/acme/history.jsonl";
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text, entries[0] + "\n" + entries[1] + "\n" + entries[2] + "\n" + entries[3] + "\n");
}

TEST(History, RefusesLineBreaksAndNonJson) {
    Fixture f;
    for (const char* bad :
         {"{\"a\":\n1}", "{\"a\":1}\r", "{\"a\":1}\n", "", "not json", "{\"a\":", "{} {}"}) {
        EXPECT_THROW(f.archive->append_history("acme", bad), sp::Error) << bad;
    }
    // An escaped newline inside a string is fine: the text itself has no line break.
    f.archive->append_history("acme", R"({"detail":"line 1\nline 2"})");
    EXPECT_EQ(f.archive->history("acme"),
              std::vector<std::string>{R"({"detail":"line 1\nline 2"})"});
}

TEST(History, TenantsAreSeparate) {
    Fixture f;
    f.archive->append_history("acme", "1");
    f.archive->append_history("globex", "2");
    f.archive->append_history("acme", "3");
    EXPECT_EQ(f.archive->history("acme"), (std::vector<std::string>{"1", "3"}));
    EXPECT_EQ(f.archive->history("globex"), std::vector<std::string>{"2"});
    EXPECT_TRUE(f.archive->history("initech").empty());
}

TEST(History, ATornLastLineIsIgnoredThenCutOff) {
    Fixture f;
    f.archive->append_history("acme", R"({"n":1})");
    {
        // What a crash in the middle of an append leaves: a line without its end.
        std::ofstream out(f.root() + "/acme/history.jsonl", std::ios::app);
        out << R"({"n":2,"fi)";
    }
    EXPECT_EQ(f.archive->history("acme"), std::vector<std::string>{R"({"n":1})"});
    f.archive->append_history("acme", R"({"n":3})");
    EXPECT_EQ(f.archive->history("acme"), (std::vector<std::string>{R"({"n":1})", R"({"n":3})"}));
    EXPECT_EQ(f.host.events(), std::vector<std::string>{"archive.history_torn_line_removed"});
}

TEST(History, ConcurrentAppendsKeepWholeLines) {
    Fixture f;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 50; ++i) {
                const std::string padding(500 + 37 * i, 'x');
                f.archive->append_history(
                    "acme", nlohmann::json{{"t", t}, {"i", i}, {"pad", padding}}.dump());
            }
        });
    }
    for (auto& thread : threads) thread.join();
    const auto lines = f.archive->history("acme");
    ASSERT_EQ(lines.size(), 200u);
    std::vector<int> next(4, 0);
    for (const auto& line : lines) {
        const auto doc = nlohmann::json::parse(line);
        const int t = doc.at("t");
        EXPECT_EQ(doc.at("i").get<int>(), next[t]++) << "each thread's lines stay in its order";
    }
}

}  // namespace
}  // namespace sightline::archive_fs::testing
