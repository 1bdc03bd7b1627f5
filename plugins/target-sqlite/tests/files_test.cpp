// The file history: duplicates, refusals, order, find_loaded.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace sightline::target_sqlite::testing {
namespace {

sp::FileRecord not_loaded(const std::string& name, const std::string& sha, sp::FileResult result,
                          const std::string& detail) {
    sp::FileRecord record;
    record.name = name;
    record.sha256 = sha;
    record.result = result;
    record.at_us = 1'800'000'000'000'000;
    record.bytes = 77;
    record.detail = detail;
    return record;
}

TEST(Files, FindLoadedSeesOnlyLoadedFiles) {
    Fixture f;
    auto store = f.open();
    EXPECT_FALSE(store->find_loaded(fake_sha(1)).has_value());
    store->record(not_loaded("bad.csv", fake_sha(1), sp::FileResult::refused, "line 2: no"));
    EXPECT_FALSE(store->find_loaded(fake_sha(1)).has_value());

    load_sales(*store, {SaleLine{}}, "first.csv", fake_sha(1));
    const auto found = store->find_loaded(fake_sha(1));
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->name, "first.csv");
    EXPECT_EQ(found->rows, 1u);

    store->record(not_loaded("again.csv", fake_sha(1), sp::FileResult::duplicate, "first.csv"));
    // A full upload of the same bytes is applied again; the original stays the one reported.
    load_sales(*store, {SaleLine{}}, "full.csv", fake_sha(1), sp::LoadMode::full);
    EXPECT_EQ(store->find_loaded(fake_sha(1))->name, "first.csv");
    EXPECT_FALSE(store->find_loaded(fake_sha(2)).has_value());
}

TEST(Files, HistoryIsOldestFirstWithEveryField) {
    Fixture f;
    auto store = f.open();
    load_sales(*store, {SaleLine{}}, "a.csv", fake_sha(1));
    store->record(not_loaded("b.csv", fake_sha(2), sp::FileResult::refused, "line 3: bad price"));
    load_catalog(*store, {{"sku", "Cat", {}, {}, {}}});
    store->record(not_loaded("a-copy.csv", fake_sha(1), sp::FileResult::duplicate, "a.csv"));

    const auto history = store->history();
    ASSERT_EQ(history.size(), 4u);
    EXPECT_EQ(history[0].name, "a.csv");
    EXPECT_EQ(history[1].name, "b.csv");
    EXPECT_EQ(history[1].result, sp::FileResult::refused);
    EXPECT_EQ(history[1].detail, "line 3: bad price");
    EXPECT_EQ(history[1].bytes, 77u);
    EXPECT_EQ(history[1].at_us, 1'800'000'000'000'000);
    EXPECT_EQ(history[1].sha256, fake_sha(2));
    EXPECT_EQ(history[2].kind, sp::FileKind::catalog);
    EXPECT_EQ(history[3].result, sp::FileResult::duplicate);
    EXPECT_EQ(history[3].detail, "a.csv");
}

TEST(Files, RecordRefusesLoadedResults) {
    Fixture f;
    auto store = f.open();
    EXPECT_THROW(store->record(loaded_record("a.csv", fake_sha(1), 1)), sp::Error);
    EXPECT_TRUE(store->history().empty());
}

TEST(Files, RowsCountIsWhatWasAppended) {
    Fixture f;
    auto store = f.open();
    const auto spec = sales_spec();
    auto load = store->begin_load(spec);
    append_lines(*load, spec, {SaleLine{}, SaleLine{}});
    load->commit(loaded_record("a.csv", fake_sha(1), 0));
    EXPECT_EQ(store->history()[0].rows, 2u);
}

}  // namespace
}  // namespace sightline::target_sqlite::testing
