// Data versions (plugin API 1.5) where only a live server can show them: files ids follow commit
// order when writers overlap, so that a version's mark never skips lines committed after it.
#include <atomic>
#include <chrono>
#include <thread>

#include "live_support.hpp"

namespace sightline::target_pg::testing {
namespace {

sp::FileRecord duplicate_record(const std::string& name) {
    sp::FileRecord r;
    r.name = name;
    r.sha256 = std::string(64, 'd');
    r.result = sp::FileResult::duplicate;
    r.at_us = 1;
    return r;
}

std::vector<uint64_t> customers_after(sp::TenantStore& store, uint64_t mark) {
    std::vector<uint64_t> out;
    sp::SalesScan scan;
    store.scan_sales_after(mark, scan, [&](const sp::Value* row) { out.push_back(row[2].u); });
    return out;
}

class DataVersionTest : public LiveTest {
protected:
    // record() drew its id from the sequence while a load was open and committed first: a
    // reader between the two commits took the record's id as its mark and never saw the load's
    // lines. record() now waits for the writer lock, as loads do.
    void expect_record_waits_for(sp::LoadMode mode, bool empty_table);
};

void DataVersionTest::expect_record_waits_for(sp::LoadMode mode, bool empty_table) {
    auto reader = open();
    if (!empty_table) load_lines(*reader, {SaleLine{}}, "first.csv");
    const sp::DataVersion before = reader->data_version();

    auto loading = open();
    auto recording = open();
    const auto spec = sales_spec({}, mode);
    auto load = loading->begin_load(spec);
    SaleLine line;
    line.customer = 77;
    append_lines(*load, spec, {line});
    std::atomic<bool> recorded{false};
    std::thread other([&] {
        recording->record(duplicate_record("dup.csv"));
        recorded = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_FALSE(recorded.load()) << "record() did not wait for the open load";
    load->commit(loaded_record("load.csv", 1, sp::FileKind::sales, mode));
    other.join();
    EXPECT_TRUE(recorded.load());

    const auto history = reader->history();
    ASSERT_GE(history.size(), 2u);
    EXPECT_EQ(history[history.size() - 2].name, "load.csv");
    EXPECT_EQ(history.back().name, "dup.csv");
    const sp::DataVersion after = reader->data_version();
    EXPECT_GT(after.mark, before.mark);
    if (mode == sp::LoadMode::incremental) {
        EXPECT_EQ(after.removals, before.removals);
        EXPECT_EQ(customers_after(*reader, before.mark), std::vector<uint64_t>{77});
    } else {
        EXPECT_EQ(after.removals, before.removals + 1);
    }
}

TEST_F(DataVersionTest, ARecordWaitsForAnOpenIncrementalLoad) {
    expect_record_waits_for(sp::LoadMode::incremental, false);
}

TEST_F(DataVersionTest, ARecordWaitsForAnOpenLoadIntoAnEmptyTable) {
    // Built beside and swapped in, like a full upload.
    expect_record_waits_for(sp::LoadMode::incremental, true);
}

TEST_F(DataVersionTest, ARecordWaitsForAnOpenFullUpload) {
    expect_record_waits_for(sp::LoadMode::full, false);
}

TEST_F(DataVersionTest, AScanSeesOneSnapshotWhileALoadCommits) {
    auto store = open();
    load_lines(*store, std::vector<SaleLine>(3), "first.csv");
    auto writer = open();
    const auto spec = sales_spec();
    auto load = writer->begin_load(spec);
    append_lines(*load, spec, std::vector<SaleLine>(2));
    sp::SalesScan scan;
    size_t lines = 0;
    store->scan_sales_after(0, scan, [&](const sp::Value*) {
        // Committed in the middle of the scan: neither the lines nor the version change.
        if (lines++ == 0) load->commit(loaded_record("second.csv", 2));
    });
    EXPECT_EQ(lines, 3u);
    sp::SalesScan later;
    EXPECT_EQ(customers_after(*store, scan.version.mark).size(), 2u);
    EXPECT_NE(store->data_version(), scan.version);
}

}  // namespace
}  // namespace sightline::target_pg::testing
