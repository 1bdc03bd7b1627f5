// Loading sales files: visibility at commit, rollback, full replacement, argument checks.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace sightline::target_sqlite::testing {
namespace {

std::vector<SaleLine> lines(int n, const std::string& prefix = "o") {
    std::vector<SaleLine> out;
    for (int i = 0; i < n; ++i) {
        SaleLine line;
        line.order = prefix + std::to_string(i);
        line.customer = static_cast<uint64_t>(i % 3);
        line.ts += i;
        out.push_back(line);
    }
    return out;
}

int64_t sale_line_indexes(sp::TenantStore& store) {
    return query_int(store,
                     "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND "
                     "tbl_name = 'sale_lines'");
}

TEST(Load, RowsBecomeVisibleAtCommitWithTheirFile) {
    Fixture f;
    auto store = f.open();
    auto reader = f.open();
    const auto spec = sales_spec();
    auto load = store->begin_load(spec);
    append_lines(*load, spec, lines(5));
    EXPECT_EQ(reader->stats().lines, 0u);
    EXPECT_TRUE(reader->history().empty());
    load->commit(loaded_record("a.csv", fake_sha(1), 5));
    EXPECT_EQ(reader->stats().lines, 5u);
    const auto history = reader->history();
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].name, "a.csv");
    EXPECT_EQ(history[0].rows, 5u);
    EXPECT_EQ(history[0].result, sp::FileResult::loaded);
    EXPECT_EQ(query_int(*reader, "SELECT count(DISTINCT file_id) FROM sale_lines"), 1);
    EXPECT_EQ(query_int(*reader,
                        "SELECT count(*) FROM sale_lines s JOIN files f "
                        "ON f.id = s.file_id WHERE f.name = 'a.csv'"),
              5);
}

TEST(Load, DestroyingWithoutCommitLeavesNothing) {
    Fixture f;
    auto store = f.open();
    load_sales(*store, lines(2));
    {
        const auto spec = sales_spec({{"s_channel", sp::ValueType::string}});
        auto load = store->begin_load(spec);
        append_lines(*load, spec, lines(10, "x"));
    }
    EXPECT_EQ(store->stats().lines, 2u);
    EXPECT_EQ(store->history().size(), 1u);
    EXPECT_TRUE(store->custom_columns().empty());  // the ALTER TABLE rolled back too
    EXPECT_EQ(query_int(*store, "SELECT count(*) FROM files"), 1);
    // The store is usable afterwards.
    load_sales(*store, lines(1, "y"));
    EXPECT_EQ(store->stats().lines, 3u);
}

TEST(Load, TransactionMayOutliveItsStore) {
    Fixture f;
    std::unique_ptr<sp::LoadTransaction> load;
    const auto spec = sales_spec();
    {
        auto store = f.open();
        load = store->begin_load(spec);
    }
    append_lines(*load, spec, lines(3));
    load->commit(loaded_record("a.csv", fake_sha(1), 3));
    load.reset();
    EXPECT_EQ(f.open()->stats().lines, 3u);
}

TEST(Load, FullModeReplacesAllLinesAtomically) {
    Fixture f;
    auto store = f.open();
    auto reader = f.open();
    load_sales(*store, lines(4, "old"));
    const auto spec = sales_spec({}, sp::LoadMode::full);
    auto load = store->begin_load(spec);
    append_lines(*load, spec, lines(2, "new"));
    // A reader on its own connection still sees the old data (WAL snapshot).
    EXPECT_EQ(reader->stats().lines, 4u);
    EXPECT_EQ(query_texts(*reader, "SELECT order_id FROM sale_lines ORDER BY id")[0], "old0");
    load->commit(
        loaded_record("full.csv", fake_sha(2), 2, sp::FileKind::sales, sp::LoadMode::full));
    EXPECT_EQ(query_texts(*reader, "SELECT order_id FROM sale_lines ORDER BY id"),
              (std::vector<std::string>{"new0", "new1"}));
    EXPECT_EQ(reader->history().back().mode, sp::LoadMode::full);
}

TEST(Load, AbandonedFullLoadKeepsOldLinesAndIndexes) {
    Fixture f;
    auto store = f.open();
    load_sales(*store, lines(4));
    {
        const auto spec = sales_spec({}, sp::LoadMode::full);
        auto load = store->begin_load(spec);
        append_lines(*load, spec, lines(1, "new"));
    }
    EXPECT_EQ(store->stats().lines, 4u);
    EXPECT_EQ(sale_line_indexes(*store), 3);
}

TEST(Load, IndexesExistAfterLoadsIntoEmptyAndNonEmptyTables) {
    Fixture f;
    auto store = f.open();
    load_sales(*store, lines(3));
    load_sales(*store, lines(3, "b"));
    EXPECT_EQ(sale_line_indexes(*store), 3);
    Connection db(f.target->database_path("acme"), "check");
    EXPECT_EQ(db.query_text("PRAGMA integrity_check"), "ok");
}

TEST(Load, LargeIncrementalLoadSwitchesToRebuildingTheIndexes) {
    Fixture f;
    auto store = f.open();
    load_sales(*store, lines(200));
    const auto spec = sales_spec();
    {
        // 200 existing rows: the indexes are dropped at the 10th appended row. Abandon the load.
        auto load = store->begin_load(spec);
        append_lines(*load, spec, lines(20, "big"));
        EXPECT_EQ(sale_line_indexes(*store), 0);  // same connection: sees its own change
    }
    EXPECT_EQ(sale_line_indexes(*store), 3);
    auto load = store->begin_load(spec);
    append_lines(*load, spec, lines(9, "small"));
    EXPECT_EQ(sale_line_indexes(*store), 3);  // still maintained
    append_lines(*load, spec, lines(11, "more"));
    EXPECT_EQ(sale_line_indexes(*store), 0);
    load->commit(loaded_record("big.csv", fake_sha(5), 20));
    EXPECT_EQ(sale_line_indexes(*store), 3);
    EXPECT_EQ(store->stats().lines, 220u);
    // The rebuilt indexes hold every row: a lookup through each agrees with a table scan.
    EXPECT_EQ(query_int(*store,
                        "SELECT count(*) FROM sale_lines INDEXED BY sale_lines_item "
                        "WHERE item = 'sku-1'"),
              220);
    EXPECT_EQ(query_int(*store,
                        "SELECT count(*) FROM sale_lines INDEXED BY "
                        "sale_lines_customer_order WHERE customer > -9223372036854775808"),
              146);
    Connection db(f.target->database_path("acme"), "check");
    EXPECT_EQ(db.query_text("PRAGMA integrity_check"), "ok");
}

TEST(Load, StoresExactValuesAndDefaultsQuantityToOne) {
    Fixture f;
    auto store = f.open();
    SaleLine a;
    a.price = -1234567;  // -1.234567
    a.quantity = -2'500'000;
    SaleLine b;
    b.order = "o2";
    b.ts = -1;  // a microsecond before 1970
    load_sales(*store, {a, b});
    std::vector<std::vector<int64_t>> rows;
    store->query("SELECT ts, price, quantity FROM sale_lines ORDER BY id", {},
                 [&](const sp::SqlRow& r) {
                     rows.push_back({r.get_int64(0), r.get_int64(1), r.get_int64(2)});
                 });
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0], (std::vector<int64_t>{1'700'000'000'000'000, -1234567, -2'500'000}));
    EXPECT_EQ(rows[1], (std::vector<int64_t>{-1, 10'000'000, 1'000'000}));
}

TEST(Load, MissingRequiredValueFailsTheWholeLoad) {
    Fixture f;
    auto store = f.open();
    const auto spec = sales_spec();
    auto load = store->begin_load(spec);
    append_lines(*load, spec, lines(2));
    std::vector<sp::Value> row(spec.columns.size());
    row[0] = text_value("o");
    try {
        load->append(row.data());
        FAIL() << "expected an error";
    } catch (const sp::Error& e) {
        EXPECT_NE(std::string(e.what()).find("record 3"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("'timestamp'"), std::string::npos) << e.what();
    }
    EXPECT_THROW(load->commit(loaded_record("a.csv", fake_sha(1), 2)), sp::Error);
    load.reset();
    EXPECT_EQ(store->stats().lines, 0u);
}

TEST(Load, CommitNeedsAMatchingLoadedRecordAndOnlyOnce) {
    Fixture f;
    auto store = f.open();
    {
        auto load = store->begin_load(sales_spec());
        auto record = loaded_record("a.csv", fake_sha(1), 0);
        record.result = sp::FileResult::refused;
        EXPECT_THROW(load->commit(record), sp::Error);
    }
    {
        auto load = store->begin_load(sales_spec());
        EXPECT_THROW(load->commit(loaded_record("a.csv", fake_sha(1), 0, sp::FileKind::sales,
                                                sp::LoadMode::full)),
                     sp::Error);
    }
    auto load = store->begin_load(sales_spec());
    load->commit(loaded_record("a.csv", fake_sha(1), 0));
    EXPECT_THROW(load->commit(loaded_record("a.csv", fake_sha(1), 0)), sp::Error);
    EXPECT_THROW(load->append(nullptr), sp::Error);
    EXPECT_EQ(store->history().size(), 1u);
}

TEST(Load, OneLoadAtATimePerStore) {
    Fixture f;
    auto store = f.open();
    auto load = store->begin_load(sales_spec());
    EXPECT_THROW(store->begin_load(sales_spec()), sp::Error);
    EXPECT_THROW(store->record(loaded_record("x", fake_sha(3), 0)), sp::Error);
    load.reset();
    EXPECT_NO_THROW(store->begin_load(sales_spec()));
}

TEST(Load, SecondWriterOnAnotherConnectionWaitsThenFailsTransiently) {
    TempDir dir;
    TargetConfig config;
    config.dir = dir.path();
    config.busy_timeout_ms = 50;
    SqliteTarget target(config, nullptr);
    auto a = target.open("acme");
    auto b = target.open("acme");
    auto load = a->begin_load(sales_spec());
    try {
        b->begin_load(sales_spec());
        FAIL() << "expected a busy error";
    } catch (const sp::Error& e) {
        EXPECT_TRUE(e.transient()) << e.what();
    }
    // Opening a store does not need the write lock while a load runs.
    EXPECT_NO_THROW(target.open("acme"));
}

TEST(Load, RefusesSpecsThatDisagreeWithTheFixedColumns) {
    Fixture f;
    auto store = f.open();
    auto spec = sales_spec();
    spec.columns[2].type = sp::ValueType::int64;
    EXPECT_THROW(store->begin_load(spec), sp::Error);
    spec = sales_spec();
    spec.columns.pop_back();
    EXPECT_THROW(store->begin_load(spec), sp::Error);
    spec = sales_spec();
    spec.columns[0].name = "Order";
    EXPECT_THROW(store->begin_load(spec), sp::Error);
    EXPECT_TRUE(store->history().empty());
}

}  // namespace
}  // namespace sightline::target_sqlite::testing
