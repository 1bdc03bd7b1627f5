// query(): read-only SQL with bound parameters; scan_sales.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace sightline::target_sqlite::testing {
namespace {

TEST(Query, BindsParametersByWhichFieldIsSet) {
    Fixture f;
    auto store = f.open();
    SaleLine a;
    a.item = "sku-a";
    a.price = 5;
    SaleLine b;
    b.order = "o2";
    b.item = "sku-b";
    b.price = 7;
    load_sales(*store, {a, b});
    EXPECT_EQ(
        query_int(*store, "SELECT price FROM sale_lines WHERE item = ?1", {text_value("sku-b")}),
        7);
    EXPECT_EQ(query_int(*store, "SELECT count(*) FROM sale_lines WHERE price > ?1", {int_value(5)}),
              1);
    EXPECT_EQ(query_int(*store, "SELECT ?1 IS NULL", {sp::Value{}}), 1);
    // A present empty string binds '' (not NULL, not 0).
    sp::Value empty;
    empty.present = true;
    empty.s = std::string_view("", 0);
    EXPECT_EQ(query_texts(*store, "SELECT quote(?1)", {empty}), std::vector<std::string>{"''"});
    EXPECT_EQ(query_int(*store, "SELECT ?2 - ?1", {int_value(1), int_value(10)}), 9);
}

TEST(Query, RowsExposeNullsIntegersAndText) {
    Fixture f;
    auto store = f.open();
    int rows = 0;
    store->query("SELECT NULL, 42, 'x', -9223372036854775808", {}, [&](const sp::SqlRow& row) {
        ++rows;
        EXPECT_EQ(row.size(), 4u);
        EXPECT_TRUE(row.is_null(0));
        EXPECT_FALSE(row.is_null(1));
        EXPECT_EQ(row.get_int64(1), 42);
        EXPECT_EQ(row.get_text(2), "x");
        EXPECT_EQ(row.get_int64(3), std::numeric_limits<int64_t>::min());
        EXPECT_THROW(row.get_int64(4), sp::Error);
    });
    EXPECT_EQ(rows, 1);
}

TEST(Query, RefusesAnythingButReading) {
    Fixture f;
    auto store = f.open();
    load_sales(*store, {SaleLine{}});
    for (const char* sql :
         {"DELETE FROM sale_lines", "UPDATE files SET name = 'x'", "DROP TABLE sale_lines",
          "CREATE TABLE t (x)", "BEGIN", "COMMIT", "ATTACH '/tmp/x.db' AS x",
          "PRAGMA journal_mode = DELETE", "SELECT 1; DELETE FROM sale_lines",
          "INSERT INTO files SELECT * FROM files"}) {
        EXPECT_THROW(query_texts(*store, sql), sp::Error) << sql;
    }
    EXPECT_EQ(store->stats().lines, 1u);
    EXPECT_EQ(query_texts(*store, "SELECT name FROM files; -- trailing comment")[0], "sales.csv");
}

TEST(Query, RefusesAWrongNumberOfParameters) {
    Fixture f;
    auto store = f.open();
    EXPECT_THROW(query_texts(*store, "SELECT ?1, ?2", {int_value(1)}), sp::Error);
    EXPECT_THROW(query_texts(*store, "SELECT 1", {int_value(1)}), sp::Error);
}

TEST(Query, ExceptionsFromTheCallbackPropagate) {
    Fixture f;
    auto store = f.open();
    EXPECT_THROW(
        store->query("SELECT 1", {}, [](const sp::SqlRow&) { throw std::logic_error("x"); }),
        std::logic_error);
    EXPECT_EQ(query_int(*store, "SELECT 5"), 5);
}

TEST(ScanSales, VisitsEveryLineInInsertionOrder) {
    Fixture f;
    auto store = f.open();
    std::vector<SaleLine> lines(3);
    for (int i = 0; i < 3; ++i) {
        lines[i].order = "o" + std::to_string(i);
        lines[i].customer = static_cast<uint64_t>(100 - i);
        lines[i].price = i;
    }
    load_sales(*store, lines);
    SaleLine last;
    last.order = "later";
    last.quantity = 3'000'000;
    load_sales(*store, {last});
    std::vector<std::string> seen;
    store->scan_sales([&](const sp::Value* row) {
        for (int c = 0; c < 6; ++c) EXPECT_TRUE(row[c].present);
        seen.push_back(std::string(row[0].s) + "/" + std::to_string(row[1].i) + "/" +
                       std::to_string(row[2].u) + "/" + std::string(row[3].s) + "/" +
                       std::to_string(row[4].i) + "/" + std::to_string(row[5].i));
    });
    EXPECT_EQ(seen, (std::vector<std::string>{
                        "o0/1700000000000000/100/sku-1/0/1000000",
                        "o1/1700000000000000/99/sku-1/1/1000000",
                        "o2/1700000000000000/98/sku-1/2/1000000",
                        "later/1700000000000000/1/sku-1/10000000/3000000",
                    }));
}

}  // namespace
}  // namespace sightline::target_sqlite::testing
