// Crash safety: a process killed in the middle of a load leaves the tenant's data as it was.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_support.hpp"

namespace sightline::target_sqlite::testing {
namespace {

enum class Death { sigkill, exit9 };

// Runs in a forked child: loads `rows` lines without committing, then dies. Never returns.
[[noreturn]] void load_and_die(const std::string& dir, sp::LoadMode mode, int rows, Death death) {
    try {
        TargetConfig config;
        config.dir = dir;
        config.cache_size_mib = 1;  // small cache: pages spill into the WAL before the kill
        SqliteTarget target(config, nullptr);
        auto store = target.open("acme");
        const auto spec = sales_spec({{"s_new", sp::ValueType::string}}, mode);
        auto load = store->begin_load(spec);
        SaleLine line;
        line.custom_text = {"x"};
        std::vector<SaleLine> batch(1000, line);
        for (int done = 0; done < rows; done += 1000) append_lines(*load, spec, batch);
        if (death == Death::sigkill) raise(SIGKILL);
        _exit(9);
    } catch (...) {
        _exit(3);
    }
}

void expect_old_data_intact(Fixture& f) {
    auto store = f.open();
    const auto stats = store->stats();
    EXPECT_EQ(stats.lines, 3u);
    EXPECT_EQ(stats.revenue, "30");
    EXPECT_EQ(store->history().size(), 1u);
    EXPECT_TRUE(store->custom_columns().empty());
    EXPECT_EQ(query_int(*store, "SELECT count(*) FROM files"), 1);
    EXPECT_EQ(query_int(*store,
                        "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND "
                        "tbl_name = 'sale_lines'"),
              3);
    Connection db(f.target->database_path("acme"), "check");
    EXPECT_EQ(db.query_text("PRAGMA integrity_check"), "ok");
    // And the tenant can load again.
    load_sales(*store, {SaleLine{}}, "next.csv");
    EXPECT_EQ(store->stats().lines, 4u);
}

void crash_during_load(sp::LoadMode mode, Death death) {
    Fixture f;
    {
        // Closed before fork(): SQLite connections must not cross a fork.
        auto store = f.open();
        std::vector<SaleLine> lines(3);
        for (int i = 0; i < 3; ++i) lines[i].order = "o" + std::to_string(i);
        load_sales(*store, lines, "old.csv");
    }
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) load_and_die(f.dir.path() + "/db", mode, 200'000, death);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    if (death == Death::sigkill) {
        ASSERT_TRUE(WIFSIGNALED(status)) << status;
        EXPECT_EQ(WTERMSIG(status), SIGKILL);
    } else {
        ASSERT_TRUE(WIFEXITED(status)) << status;
        EXPECT_EQ(WEXITSTATUS(status), 9) << "3 means the child failed before dying";
    }
    expect_old_data_intact(f);
}

TEST(CrashSafety, KilledDuringIncrementalLoad) {
    crash_during_load(sp::LoadMode::incremental, Death::sigkill);
}

TEST(CrashSafety, KilledDuringFullLoad) { crash_during_load(sp::LoadMode::full, Death::sigkill); }

TEST(CrashSafety, ExitWithoutCommitDuringFullLoad) {
    crash_during_load(sp::LoadMode::full, Death::exit9);
}

}  // namespace
}  // namespace sightline::target_sqlite::testing
