// An incremental load into an empty sale_lines takes the full-upload path (COPY into a new table,
// indexes built once, swap at commit): readers are never blocked, never fail and never see a
// partial file, and the table has its indexes afterwards.
#include <atomic>
#include <thread>

#include "live_support.hpp"

namespace sightline::target_pg::testing {
namespace {

using FirstLoadTest = LiveTest;

std::vector<SaleLine> numbered_lines(int count) {
    std::vector<SaleLine> lines(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) {
        lines[static_cast<size_t>(i)].customer = static_cast<uint64_t>(i % 89);
        lines[static_cast<size_t>(i)].order = "o" + std::to_string(i);
        lines[static_cast<size_t>(i)].custom_text = {"n" + std::to_string(i)};
    }
    return lines;
}

TEST_F(FirstLoadTest, ConcurrentReadersSeeNothingOrTheWholeFileAndIndexesExist) {
    auto store = open();
    std::atomic<bool> stop{false}, committed{false};
    std::atomic<int> reads_during_load{0}, failures{0}, partial{0}, saw_all{0};
    std::string first_failure;
    std::thread reader([&] {
        auto mine = target->open("acme");
        while (!stop) {
            try {
                const bool before = !committed;
                const auto n = query_text(*mine, "SELECT count(*) FROM sales").at(0).at(0);
                if (n == "3000") ++saw_all;
                if (n != "0" && n != "3000") ++partial;
                // A reader blocked until the commit would not finish a read before it.
                if (before && !committed) ++reads_during_load;
            } catch (const std::exception& e) {
                if (failures++ == 0) first_failure = e.what();
            }
        }
    });

    // A new custom column on the first load goes into the new table and the view.
    const auto spec = sales_spec({{"s_note", sp::ValueType::string}});
    auto load = store->begin_load(spec);
    const auto lines = numbered_lines(3000);
    for (size_t i = 0; i < lines.size(); i += 100) {
        append_lines(*load, spec,
                     std::vector<SaleLine>(lines.begin() + i, lines.begin() + i + 100));
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    EXPECT_EQ(count_lines(*target->open("acme")), 0u);
    load->commit(loaded_record("first.csv", 3000));
    committed = true;
    while (saw_all < 20 && failures == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    stop = true;
    reader.join();

    EXPECT_EQ(failures.load(), 0) << first_failure;
    EXPECT_EQ(partial.load(), 0);
    EXPECT_GT(reads_during_load.load(), 20);
    EXPECT_EQ(count_lines(*store), 3000u);
    EXPECT_EQ(query_text(*store, "SELECT s_note FROM sales WHERE \"order\" = 'o2999'"),
              (std::vector<std::vector<std::string>>{{"n2999"}}));
    EXPECT_EQ(query_text(*store,
                         "SELECT indexname FROM pg_indexes WHERE tablename = 'sale_lines' "
                         "ORDER BY indexname"),
              (std::vector<std::vector<std::string>>{
                  {"sale_lines_customer_order"}, {"sale_lines_item"}, {"sale_lines_ts"}}));
    EXPECT_EQ(query_text(*store,
                         "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'sale_lines%'")[0][0],
              "1");
    // Still recorded as the incremental load it was; later loads go on into the new table and
    // ids keep their insertion order.
    const auto history = store->history();
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].mode, sp::LoadMode::incremental);
    load_lines(*store, numbered_lines(2), "second.csv");
    EXPECT_EQ(count_lines(*store), 3002u);
    EXPECT_EQ(query_text(*store, "SELECT \"order\" FROM sales ORDER BY id DESC LIMIT 1"),
              (std::vector<std::vector<std::string>>{{"o1"}}));
}

TEST_F(FirstLoadTest, AnAbandonedFirstLoadLeavesAnEmptyTenant) {
    auto store = open();
    {
        const auto spec = sales_spec();
        auto load = store->begin_load(spec);
        append_lines(*load, spec, numbered_lines(5));
    }
    EXPECT_EQ(count_lines(*store), 0u);
    EXPECT_EQ(query_text(*store,
                         "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'sale_lines%'")[0][0],
              "1");
    load_lines(*store, numbered_lines(3), "again.csv");
    EXPECT_EQ(count_lines(*store), 3u);
}

}  // namespace
}  // namespace sightline::target_pg::testing
