// Loads, commit and rollback, exact values, customer ids, custom columns, query() conversions.
#include "live_support.hpp"

namespace sightline::target_pg::testing {
namespace {

using LoadTest = LiveTest;

TEST_F(LoadTest, RowsAreInvisibleUntilCommitAndRecordedWithIt) {
    auto store = open();
    auto reader = open();
    const auto spec = sales_spec();
    auto load = store->begin_load(spec);
    SaleLine second;
    second.order = "o2";
    append_lines(*load, spec, {SaleLine{}, second});
    EXPECT_EQ(count_lines(*reader), 0u);
    EXPECT_TRUE(reader->history().empty());
    load->commit(loaded_record("a.csv", 2));
    EXPECT_EQ(count_lines(*reader), 2u);
    const auto history = reader->history();
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].name, "a.csv");
    EXPECT_EQ(history[0].rows, 2u);
    ASSERT_TRUE(reader->find_loaded(std::string(64, 'a')));
    EXPECT_FALSE(reader->find_loaded(std::string(64, 'b')));
}

TEST_F(LoadTest, DestroyingAnUncommittedLoadRollsBack) {
    auto store = open();
    {
        const auto spec = sales_spec({{"s_note", sp::ValueType::string}});
        auto load = store->begin_load(spec);
        append_lines(*load, spec, {SaleLine{}});
    }
    EXPECT_EQ(count_lines(*store), 0u);
    EXPECT_TRUE(store->history().empty());
    EXPECT_TRUE(store->custom_columns().empty());
    load_lines(*store, {SaleLine{}});  // the connection is usable again
    EXPECT_EQ(count_lines(*store), 1u);
}

TEST_F(LoadTest, CopyEscapingRoundTrips) {
    auto store = open();
    const std::vector<std::string> texts = {"tab\there", "new\nline", "cr\rret",    "back\\slash",
                                            "\\N",       "\\.",       "quote'\"s",  "ünïcödé €",
                                            "日本語",    "",          "trailing\\", "a\tb\nc\\d"};
    const auto spec = sales_spec({{"s_note", sp::ValueType::string}});
    std::vector<SaleLine> lines;
    for (size_t i = 0; i < texts.size(); ++i) {
        SaleLine line;
        line.order = "o" + texts[i];
        line.item = texts[i];
        line.custom_text = {texts[i]};
        lines.push_back(line);
    }
    auto load = store->begin_load(spec);
    append_lines(*load, spec, lines);
    load->commit(loaded_record("a.csv", lines.size()));

    size_t n = 0;
    store->scan_sales([&](const sp::Value* row) {
        ASSERT_LT(n, texts.size());
        EXPECT_EQ(row[0].s, "o" + texts[n]);
        EXPECT_EQ(row[3].s, texts[n]);
        EXPECT_TRUE(row[6].present);
        EXPECT_EQ(row[6].s, texts[n]);
        ++n;
    });
    EXPECT_EQ(n, texts.size());
    // Bound parameters find them too.
    const std::string wanted = "a\tb\nc\\d";
    sp::Value param;
    param.present = true;
    param.s = wanted;
    EXPECT_EQ(query_text(*store, "SELECT count(*) FROM sales WHERE item = $1", {param})[0][0], "1");
}

TEST_F(LoadTest, DecimalsAndSumsAreExact) {
    auto store = open();
    std::vector<SaleLine> lines;
    for (int i = 0; i < 1000; ++i) {
        SaleLine line;
        line.price = 100'001;  // 0.100001
        line.quantity = 1'500'000;
        lines.push_back(line);
    }
    SaleLine refund;
    refund.price = -12'345'678;  // -12.345678
    lines.push_back(refund);
    SaleLine big;
    big.price = 999'999'999'999'999'999;  // 999999999999.999999
    lines.push_back(big);
    load_lines(*store, lines);
    const auto stats = store->stats();
    EXPECT_EQ(stats.lines, 1002u);
    EXPECT_EQ(stats.customers, 1u);
    // 1000 * 0.100001 - 12.345678 + 999999999999.999999
    EXPECT_EQ(stats.revenue, "1000000000087.655321");

    int64_t sum = 0;
    store->query("SELECT sum(price) FROM sales WHERE price < 1", {},
                 [&](const sp::SqlRow& row) { sum = row.get_int64(0); });
    EXPECT_EQ(sum, 1000 * 100'001 - 12'345'678);
    std::vector<int64_t> prices;
    store->scan_sales([&](const sp::Value* row) { prices.push_back(row[4].i); });
    ASSERT_EQ(prices.size(), 1002u);
    EXPECT_EQ(prices[1000], -12'345'678);
    EXPECT_EQ(prices[1001], 999'999'999'999'999'999);
}

TEST_F(LoadTest, RevenueUsesTheShortestExactForm) {
    auto store = open();
    EXPECT_EQ(store->stats().revenue, "0");
    SaleLine a;
    a.price = 12'500'000;
    load_lines(*store, {a});
    EXPECT_EQ(store->stats().revenue, "12.5");
    SaleLine b;
    b.price = -12'500'001;
    load_lines(*store, {b}, "b.csv");
    EXPECT_EQ(store->stats().revenue, "-0.000001");
}

TEST_F(LoadTest, CustomerIdsAtTheEdgesAreExactAndOrdered) {
    auto store = open();
    const std::vector<uint64_t> ids = {18446744073709551615ULL, 9223372036854775808ULL, 0,
                                       9223372036854775807ULL, 1};
    std::vector<SaleLine> lines;
    for (uint64_t id : ids) {
        SaleLine line;
        line.customer = id;
        lines.push_back(line);
    }
    load_lines(*store, lines);
    std::vector<uint64_t> ordered;
    store->query("SELECT customer FROM sales ORDER BY customer", {}, [&](const sp::SqlRow& row) {
        ordered.push_back(static_cast<uint64_t>(row.get_int64(0)));
    });
    EXPECT_EQ(ordered, (std::vector<uint64_t>{0, 1, 9223372036854775807ULL, 9223372036854775808ULL,
                                              18446744073709551615ULL}));
    EXPECT_EQ(query_text(*store, "SELECT max(customer)::text FROM sales")[0][0],
              "18446744073709551615");
    std::vector<uint64_t> scanned;
    store->scan_sales([&](const sp::Value* row) { scanned.push_back(row[2].u); });
    EXPECT_EQ(scanned, ids);
    EXPECT_EQ(store->stats().customers, 5u);
    // A customer id as a parameter: its decimal text.
    sp::Value param;
    param.present = true;
    const std::string text = "18446744073709551615";
    param.s = text;
    EXPECT_EQ(query_text(*store, "SELECT count(*) FROM sales WHERE customer = $1", {param})[0][0],
              "1");
}

TEST_F(LoadTest, CustomColumnsOfEachTypeAcrossLoads) {
    auto store = open();
    const std::vector<sp::Column> first = {{"s_channel", sp::ValueType::string},
                                           {"i_units", sp::ValueType::int64}};
    const auto spec1 = sales_spec(first);
    SaleLine a;
    a.custom_text = {"web", std::nullopt};
    a.custom_int = {std::nullopt, -42};
    {
        auto load = store->begin_load(spec1);
        append_lines(*load, spec1, {a});
        load->commit(loaded_record("a.csv", 1));
    }
    const std::vector<sp::Column> second = {{"f_discount", sp::ValueType::decimal},
                                            {"d_shipped", sp::ValueType::timestamp},
                                            {"s_channel", sp::ValueType::string}};
    const auto spec2 = sales_spec(second);
    SaleLine b;
    b.custom_int = {-1'500'000, 1'700'000'000'123'456, std::nullopt};
    b.custom_text = {std::nullopt, std::nullopt, "shop"};
    SaleLine c;  // all missing
    {
        auto load = store->begin_load(spec2);
        append_lines(*load, spec2, {b, c});
        load->commit(loaded_record("b.csv", 2));
    }
    const auto columns = store->custom_columns();
    ASSERT_EQ(columns.size(), 4u);
    EXPECT_EQ(columns[0].name, "s_channel");
    EXPECT_EQ(columns[1].name, "i_units");
    EXPECT_EQ(columns[2].name, "f_discount");
    EXPECT_EQ(columns[3].name, "d_shipped");
    EXPECT_EQ(columns[3].type, sp::ValueType::timestamp);

    std::vector<std::vector<sp::Value>> rows;
    std::vector<std::string> texts;
    store->scan_sales([&](const sp::Value* row) {
        rows.emplace_back(row, row + 10);
        texts.emplace_back(row[6].present ? std::string(row[6].s) : "-");
    });
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(texts, (std::vector<std::string>{"web", "shop", "-"}));
    EXPECT_EQ(rows[0][7].i, -42);
    EXPECT_FALSE(rows[0][8].present);
    EXPECT_EQ(rows[1][8].i, -1'500'000);
    EXPECT_EQ(rows[1][9].i, 1'700'000'000'123'456);
    EXPECT_FALSE(rows[2][9].present);
    EXPECT_EQ(rows[2][5].i, 1'000'000);  // quantity defaults to 1

    // The sales view has the sqlite target's names, custom columns included.
    const auto view = query_text(*store,
                                 "SELECT \"order\", \"timestamp\", customer, item, price, "
                                 "quantity, s_channel, i_units, f_discount, d_shipped FROM sales "
                                 "ORDER BY id");
    ASSERT_EQ(view.size(), 3u);
    EXPECT_EQ(view[1][8], "-1.500000");
    EXPECT_EQ(view[1][9], "2023-11-14 22:13:20.123456+00");
    int64_t shipped = 0;
    store->query("SELECT d_shipped FROM sales WHERE d_shipped IS NOT NULL", {},
                 [&](const sp::SqlRow& row) { shipped = row.get_int64(0); });
    EXPECT_EQ(shipped, 1'700'000'000'123'456);
}

TEST_F(LoadTest, TheHundredAndFirstCustomColumnIsRefused) {
    auto store = open();
    std::vector<sp::Column> many;
    for (int i = 0; i < 101; ++i) many.push_back({"i_c" + std::to_string(i), sp::ValueType::int64});
    try {
        store->begin_load(sales_spec(many));
        FAIL() << "expected an Error";
    } catch (const sp::Error& e) {
        EXPECT_NE(std::string(e.what()).find("100 custom columns"), std::string::npos) << e.what();
    }
}

TEST_F(LoadTest, QueryConvertsByColumnType) {
    auto store = open();
    load_lines(*store, {SaleLine{}});
    sp::Value text;
    text.present = true;
    const std::string o1 = "o1";
    text.s = o1;
    sp::Value number;
    number.present = true;
    number.i = 5;
    sp::Value missing;
    std::vector<int64_t> got;
    std::string order;
    store->query(
        "SELECT 7::int2, 8::int4, $2::int8, 2.5::numeric(18,6), 12::numeric, true, "
        "'1970-01-01 00:00:01.5+00'::timestamptz, \"order\", $3::text IS NULL "
        "FROM sales WHERE \"order\" = $1",
        {text, number, missing}, [&](const sp::SqlRow& row) {
            EXPECT_EQ(row.size(), 9u);
            for (size_t c = 0; c < 7; ++c) got.push_back(row.get_int64(c));
            order = std::string(row.get_text(7));
            got.push_back(row.get_int64(8));
            EXPECT_THROW(row.get_int64(9), sp::Error);
        });
    EXPECT_EQ(got, (std::vector<int64_t>{7, 8, 5, 2'500'000, 12, 1, 1'500'000, 1}));
    EXPECT_EQ(order, "o1");
}

// Text sorts by code point (UTF-8 bytes), whatever the server's default locale: the order the
// segment language specifies and the SQLite target has.
TEST_F(LoadTest, TextSortsByCodePoint) {
    auto store = open();
    std::vector<std::string> order;
    store->query("SELECT x FROM (VALUES ('a'), ('B'), ('\u00e9'), ('z'), ('Z')) AS v(x) ORDER BY x",
                 {}, [&](const sp::SqlRow& row) { order.emplace_back(row.get_text(0)); });
    EXPECT_EQ(order, (std::vector<std::string>{"B", "Z", "a", "z", "\u00e9"}));
}

TEST_F(LoadTest, QueryIsReadOnly) {
    auto store = open();
    EXPECT_THROW(store->query("DELETE FROM sale_lines", {}, [](const sp::SqlRow&) {}), sp::Error);
    EXPECT_THROW(store->query("CREATE TABLE x (a int)", {}, [](const sp::SqlRow&) {}), sp::Error);
    EXPECT_THROW(store->query("COMMIT; DELETE FROM sale_lines", {}, [](const sp::SqlRow&) {}),
                 sp::Error);
    load_lines(*store, {SaleLine{}});
    EXPECT_EQ(count_lines(*store), 1u);
}

TEST_F(LoadTest, RecordedFilesAndHistoryOrder) {
    auto store = open();
    load_lines(*store, {SaleLine{}}, "a.csv");
    sp::FileRecord duplicate = loaded_record("a-again.csv", 0);
    duplicate.result = sp::FileResult::duplicate;
    duplicate.detail = "a.csv";
    store->record(duplicate);
    sp::FileRecord loaded = loaded_record("x.csv", 1);
    EXPECT_THROW(store->record(loaded), sp::Error);
    const auto history = store->history();
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].name, "a.csv");
    EXPECT_EQ(history[1].result, sp::FileResult::duplicate);
    EXPECT_EQ(history[1].detail, "a.csv");
}

TEST_F(LoadTest, AMissingRequiredValueFailsTheLoad) {
    auto store = open();
    const auto spec = sales_spec();
    auto load = store->begin_load(spec);
    std::vector<sp::Value> row(6);
    EXPECT_THROW(load->append(row.data()), sp::Error);
    EXPECT_THROW(load->commit(loaded_record("a.csv", 0)), sp::Error);
}

}  // namespace
}  // namespace sightline::target_pg::testing
