// Full uploads build the new sale lines beside the old ones and swap them at commit: readers
// never fail and never see a mix.
#include <atomic>
#include <thread>

#include "live_support.hpp"

namespace sightline::target_pg::testing {
namespace {

using FullUploadTest = LiveTest;

std::vector<SaleLine> lines_of(const std::string& item, int count) {
    std::vector<SaleLine> lines(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) {
        lines[static_cast<size_t>(i)].item = item;
        lines[static_cast<size_t>(i)].customer = static_cast<uint64_t>(i % 97);
        lines[static_cast<size_t>(i)].order = "o" + std::to_string(i);
    }
    return lines;
}

TEST_F(FullUploadTest, ReadersSeeTheOldOrTheNewLinesNeverAMix) {
    auto store = open();
    load_lines(*store, lines_of("old", 2000), "old.csv");

    std::atomic<bool> stop{false};
    std::atomic<int> reads{0}, failures{0}, mixes{0}, saw_new{0};
    std::string first_failure;
    std::thread reader([&] {
        auto mine = target->open("acme");
        while (!stop) {
            try {
                const auto rows =
                    query_text(*mine, "SELECT count(*), min(item), max(item) FROM sales");
                const auto& r = rows.at(0);
                const bool old_set = r[0] == "2000" && r[1] == "old" && r[2] == "old";
                const bool new_set = r[0] == "3000" && r[1] == "new" && r[2] == "new";
                if (new_set) ++saw_new;
                if (!old_set && !new_set) ++mixes;
                ++reads;
            } catch (const std::exception& e) {
                if (failures++ == 0) first_failure = e.what();
            }
        }
    });

    const auto spec = sales_spec({}, sp::LoadMode::full);
    auto load = store->begin_load(spec);
    const auto fresh = lines_of("new", 3000);
    for (size_t i = 0; i < fresh.size(); i += 100) {
        append_lines(*load, spec,
                     std::vector<SaleLine>(fresh.begin() + i, fresh.begin() + i + 100));
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    EXPECT_EQ(count_lines(*target->open("acme")), 2000u);
    load->commit(loaded_record("new.csv", 3000, sp::FileKind::sales, sp::LoadMode::full));
    while (saw_new < 20 && failures == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    stop = true;
    reader.join();

    EXPECT_EQ(failures.load(), 0) << first_failure;
    EXPECT_EQ(mixes.load(), 0);
    EXPECT_GT(reads.load(), 20);
    EXPECT_EQ(count_lines(*store), 3000u);
    // The swapped table has the canonical index names.
    EXPECT_EQ(query_text(*store,
                         "SELECT indexname FROM pg_indexes WHERE tablename = 'sale_lines' "
                         "ORDER BY indexname"),
              (std::vector<std::vector<std::string>>{
                  {"sale_lines_customer_order"}, {"sale_lines_item"}, {"sale_lines_ts"}}));
}

TEST_F(FullUploadTest, KeepsEveryCustomColumnAndTheViewAndCanRepeat) {
    auto store = open();
    const auto spec = sales_spec({{"s_note", sp::ValueType::string}});
    SaleLine a;
    a.custom_text = {"first"};
    {
        auto load = store->begin_load(spec);
        append_lines(*load, spec, {a});
        load->commit(loaded_record("a.csv", 1));
    }
    for (int round = 0; round < 2; ++round) {
        const auto full = sales_spec({{"i_units", sp::ValueType::int64}}, sp::LoadMode::full);
        SaleLine b;
        b.custom_int = {7};
        auto load = store->begin_load(full);
        append_lines(*load, full, {b, b});
        load->commit(loaded_record("b.csv", 2, sp::FileKind::sales, sp::LoadMode::full));
    }
    EXPECT_EQ(store->custom_columns().size(), 2u);
    EXPECT_EQ(query_text(*store, "SELECT s_note, i_units FROM sales"),
              (std::vector<std::vector<std::string>>{{"NULL", "7"}, {"NULL", "7"}}));
    // Incremental loads go on into the swapped table.
    load_lines(*store, {SaleLine{}}, "c.csv");
    EXPECT_EQ(count_lines(*store), 3u);
}

TEST_F(FullUploadTest, AnAbandonedFullUploadLeavesTheOldLines) {
    auto store = open();
    load_lines(*store, lines_of("old", 10), "old.csv");
    {
        const auto spec = sales_spec({}, sp::LoadMode::full);
        auto load = store->begin_load(spec);
        append_lines(*load, spec, lines_of("new", 5));
    }
    EXPECT_EQ(count_lines(*store), 10u);
    EXPECT_EQ(query_text(*store,
                         "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'sale_lines%'")[0][0],
              "1");
}

}  // namespace
}  // namespace sightline::target_pg::testing
