// Build beside, then swap (plugin API 1.6): open_beside() gives an empty database next to the
// tenant's; swap_beside() copies it in with one write transaction, which other connections (other
// processes, here other stores) see like any commit; discard_beside() and a leftover from a killed
// run.
#include <gtest/gtest.h>

#include <filesystem>

#include "test_support.hpp"

namespace sightline::target_sqlite::testing {
namespace {

namespace fs = std::filesystem;

std::vector<SaleLine> lines(size_t n, int64_t price) {
    std::vector<SaleLine> out(n);
    for (size_t i = 0; i < n; ++i) {
        out[i].order = "o" + std::to_string(i);
        out[i].customer = i + 1;
        out[i].price = price;
    }
    return out;
}

TEST(Swap, TheTenantKeepsItsDataUntilTheSwapThenHasTheNew) {
    Fixture f;
    ASSERT_TRUE(f.target->supports_swap());
    load_sales(*f.open(), lines(3, 10'000'000), "old.csv");
    auto reader = f.open();  // stays open throughout, as serve's stores do
    const sp::DataVersion before = reader->data_version();

    auto beside = f.target->open_beside("acme");
    EXPECT_EQ(beside->stats().lines, 0u);
    load_sales(*beside, lines(5, 20'000'000), "new.csv");
    EXPECT_EQ(reader->stats().lines, 3u) << "the beside database is not the tenant's";
    EXPECT_EQ(f.open()->stats().lines, 3u);
    beside.reset();

    f.target->swap_beside("acme");
    EXPECT_EQ(reader->stats().lines, 5u) << "an open store sees the swap like a commit";
    EXPECT_EQ(reader->stats().revenue, "100");
    ASSERT_EQ(reader->history().size(), 1u);
    EXPECT_EQ(reader->history()[0].name, "new.csv");
    EXPECT_TRUE(reader->alive()) << "the tenant's file is the same file";
    EXPECT_NE(reader->data_version().incarnation, before.incarnation);
    EXPECT_FALSE(fs::exists(f.target->beside_path("acme")));
    EXPECT_EQ(f.host.events().back(), "target.tenant_database_swapped");
    load_sales(*reader, lines(1, 1'000'000), "after.csv");  // and it loads as before
    EXPECT_EQ(f.open()->stats().lines, 6u);
}

TEST(Swap, ALeftoverOfAKilledRunIsDiscardedByTheNextOpenBeside) {
    Fixture f;
    load_sales(*f.open(), lines(2, 10'000'000));
    {
        auto beside = f.target->open_beside("acme");
        load_sales(*beside, lines(7, 10'000'000), "half.csv");
    }
    // What a kill leaves: the beside file with its WAL.
    ASSERT_TRUE(fs::exists(f.target->beside_path("acme")));
    auto beside = f.target->open_beside("acme");
    EXPECT_EQ(beside->stats().lines, 0u);
    EXPECT_TRUE(beside->history().empty());
    beside.reset();
    f.target->discard_beside("acme");
    EXPECT_FALSE(fs::exists(f.target->beside_path("acme")));
    EXPECT_THROW(f.target->swap_beside("acme"), sp::Error) << "nothing to swap in";
    EXPECT_EQ(f.open()->stats().lines, 2u);
    f.target->discard_beside("acme");  // no-op without one
}

TEST(Swap, IntoATenantWithoutDatabaseAndKeepingAnOldPageSize) {
    Fixture f;
    // A tenant database made with 4 KiB pages (before the 8 KiB default): the copy must match.
    {
        Connection db(f.target->database_path("old"), "old");
        db.exec("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE t (x)");
    }
    {
        auto store = f.open("old");
        load_sales(*store, lines(2, 10'000'000));
        load_sales(*f.target->open_beside("old"), lines(4, 10'000'000));
    }
    f.target->swap_beside("old");
    EXPECT_EQ(f.open("old")->stats().lines, 4u);

    load_sales(*f.target->open_beside("fresh"), lines(3, 10'000'000));
    f.target->swap_beside("fresh");
    EXPECT_EQ(f.open("fresh")->stats().lines, 3u);
}

}  // namespace
}  // namespace sightline::target_sqlite::testing
