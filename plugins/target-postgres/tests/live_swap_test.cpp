// Build beside, then swap (plugin API 1.6): a restore fills the schema sightline_beside of the
// tenant's database, and one transaction moves it in. Stores opened before (serve's pooled
// sessions) read the new tables afterwards; a leftover of a killed run is discarded.
#include "live_support.hpp"

namespace sightline::target_pg::testing {
namespace {

using SwapTest = LiveTest;

std::vector<SaleLine> lines_of(const std::string& item, int count) {
    std::vector<SaleLine> lines(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) {
        lines[static_cast<size_t>(i)].item = item;
        lines[static_cast<size_t>(i)].customer = static_cast<uint64_t>(i % 13);
        lines[static_cast<size_t>(i)].order = "o" + std::to_string(i);
    }
    return lines;
}

TEST_F(SwapTest, TheTenantKeepsItsDataUntilTheSwapThenHasTheNew) {
    ASSERT_TRUE(target->supports_swap());
    auto reader = open();
    load_lines(*reader, lines_of("old", 30), "old.csv");
    const sp::DataVersion before = reader->data_version();

    auto beside = target->open_beside("acme");
    EXPECT_EQ(count_lines(*beside), 0u);
    load_lines(*beside, lines_of("new", 50), "new.csv");
    // A full upload inside the beside schema swaps its own sale lines there, not the tenant's.
    load_lines(*beside, lines_of("new", 40), "full.csv", sp::LoadMode::full);
    EXPECT_EQ(count_lines(*reader), 30u) << "the beside schema is not the tenant's";
    beside.reset();

    target->swap_beside("acme");
    EXPECT_EQ(count_lines(*reader), 40u) << "an open session reads the swapped-in tables";
    EXPECT_EQ(query_text(*reader, "SELECT min(item), max(item) FROM sales")[0],
              (std::vector<std::string>{"new", "new"}));
    const auto history = reader->history();
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].name, "new.csv");
    EXPECT_NE(reader->data_version().incarnation, before.incarnation);
    EXPECT_EQ(query_text(*reader,
                         "SELECT count(*) FROM pg_namespace WHERE nspname = 'sightline_beside'")[0]
                  .at(0),
              "0");
    load_lines(*reader, lines_of("after", 5), "after.csv");  // and it loads as before
    EXPECT_EQ(count_lines(*open()), 45u);
}

TEST_F(SwapTest, ALeftoverOfAKilledRunIsDiscardedByTheNextOpenBeside) {
    auto store = open();
    load_lines(*store, lines_of("old", 3));
    load_lines(*target->open_beside("acme"), lines_of("half", 7), "half.csv");
    auto beside = target->open_beside("acme");
    EXPECT_EQ(count_lines(*beside), 0u);
    EXPECT_TRUE(beside->history().empty());
    beside.reset();
    target->discard_beside("acme");
    EXPECT_THROW(target->swap_beside("acme"), sp::Error) << "nothing to swap in";
    EXPECT_EQ(count_lines(*store), 3u);
    target->discard_beside("acme");  // no-op without one
}

}  // namespace
}  // namespace sightline::target_pg::testing
