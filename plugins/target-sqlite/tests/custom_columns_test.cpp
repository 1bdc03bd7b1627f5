// Custom sales columns: added by ALTER TABLE as files bring them, typed by prefix, at most 100.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace sightline::target_sqlite::testing {
namespace {

const sp::Column kChannel{"s_channel", sp::ValueType::string};
const sp::Column kUnits{"i_units", sp::ValueType::int64};
const sp::Column kDiscount{"f_discount", sp::ValueType::decimal};
const sp::Column kShipped{"d_shipped", sp::ValueType::timestamp};

TEST(CustomColumns, AddedOverTwoLoadsWithTheirTypes) {
    Fixture f;
    auto store = f.open();
    SaleLine first;
    first.custom_text = {"web"};
    load_sales(*store, {first}, "one.csv", "", sp::LoadMode::incremental, {kChannel});

    // The second file has the columns in another order, one old and three new.
    SaleLine second;
    second.order = "o2";
    second.custom_int = {7, std::nullopt, 2'500'000, 1'700'000'000'123'456};
    const std::vector<sp::Column> custom{kUnits, kChannel, kDiscount, kShipped};
    load_sales(*store, {second}, "two.csv", "", sp::LoadMode::incremental, custom);

    const auto columns = store->custom_columns();
    ASSERT_EQ(columns.size(), 4u);
    EXPECT_EQ(columns[0].name, "s_channel");
    EXPECT_EQ(columns[0].type, sp::ValueType::string);
    EXPECT_EQ(columns[1].name, "i_units");
    EXPECT_EQ(columns[1].type, sp::ValueType::int64);
    EXPECT_EQ(columns[2].name, "f_discount");
    EXPECT_EQ(columns[2].type, sp::ValueType::decimal);
    EXPECT_EQ(columns[3].name, "d_shipped");
    EXPECT_EQ(columns[3].type, sp::ValueType::timestamp);

    // The file that introduced each column is recorded.
    EXPECT_EQ(query_texts(*store,
                          "SELECT f.name FROM custom_columns c JOIN files f ON f.id = "
                          "c.first_file_id ORDER BY c.rowid"),
              (std::vector<std::string>{"one.csv", "two.csv", "two.csv", "two.csv"}));

    // scan_sales: fixed columns then custom_columns(), in insertion order, NULL = not present.
    std::vector<std::string> seen;
    store->scan_sales([&](const sp::Value* row) {
        std::string text = std::string(row[0].s) + ":";
        text += row[6].present ? std::string(row[6].s) : "-";
        for (int c = 7; c < 10; ++c) {
            text += "," + (row[c].present ? std::to_string(row[c].i) : std::string("-"));
        }
        seen.push_back(text);
    });
    EXPECT_EQ(seen, (std::vector<std::string>{"o1:web,-,-,-", "o2:-,7,2500000,1700000000123456"}));

    // The view decodes them for people with a sqlite3 shell.
    EXPECT_EQ(query_texts(*store,
                          "SELECT f_discount || ' ' || d_shipped FROM sales WHERE "
                          "\"order\" = 'o2'"),
              std::vector<std::string>{"2.5 2023-11-14T22:13:20.123456Z"});
}

TEST(CustomColumns, RefusesMoreThanOneHundredPerTenant) {
    Fixture f;
    auto store = f.open();
    std::vector<sp::Column> first;
    for (int i = 0; i < 95; ++i) first.push_back({"i_c" + std::to_string(i), sp::ValueType::int64});
    load_sales(*store, {}, "a.csv", "", sp::LoadMode::incremental, first);
    std::vector<sp::Column> next;
    for (int i = 0; i < 6; ++i) next.push_back({"s_n" + std::to_string(i), sp::ValueType::string});
    try {
        store->begin_load(sales_spec(next));
        FAIL() << "expected the limit";
    } catch (const sp::Error& e) {
        EXPECT_NE(std::string(e.what()).find("tenant has reached 100 custom columns"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_EQ(store->custom_columns().size(), 95u);
    next.pop_back();  // exactly 100 is fine
    load_sales(*store, {SaleLine{}}, "b.csv", "", sp::LoadMode::incremental, next);
    EXPECT_EQ(store->custom_columns().size(), 100u);
    // Known columns do not count again.
    load_sales(*store, {SaleLine{}}, "c.csv", "", sp::LoadMode::incremental, first);
    EXPECT_THROW(store->begin_load(sales_spec({{"s_one_more", sp::ValueType::string}})), sp::Error);
}

TEST(CustomColumns, RefusesInvalidNamesAndMismatchedTypes) {
    Fixture f;
    auto store = f.open();
    const std::vector<sp::Column> bad = {
        {"x_foo", sp::ValueType::string},
        {"s_", sp::ValueType::string},
        {"s_Foo", sp::ValueType::string},
        {"s_a\"b", sp::ValueType::string},
        {"i_foo", sp::ValueType::string},
        {"s_foo", sp::ValueType::int64},
        {"d_foo", sp::ValueType::decimal},
        {"f_x", sp::ValueType::uint64},
        {"s_" + std::string(49, 'a'), sp::ValueType::string},
    };
    for (const auto& column : bad) {
        EXPECT_THROW(store->begin_load(sales_spec({column})), sp::Error) << column.name;
    }
    EXPECT_THROW(store->begin_load(sales_spec({kChannel, kChannel})), sp::Error);
    EXPECT_NO_THROW(
        store->begin_load(sales_spec({{"s_" + std::string(48, 'a'), sp::ValueType::string}})));
}

TEST(CustomColumns, PresentEmptyStringIsNotMissing) {
    Fixture f;
    auto store = f.open();
    const auto spec = sales_spec({kChannel});
    auto load = store->begin_load(spec);
    std::vector<sp::Value> row(spec.columns.size());
    row[0] = text_value("o1");
    row[1] = int_value(0);
    row[2].present = true;
    row[3] = text_value("i");
    row[4] = int_value(1);
    row[6].present = true;  // s is a default (null-data) string_view: an empty string
    load->append(row.data());
    load->commit(loaded_record("a.csv", fake_sha(1), 1));
    EXPECT_EQ(query_texts(*store, "SELECT quote(s_channel) FROM sale_lines"),
              std::vector<std::string>{"''"});
}

}  // namespace
}  // namespace sightline::target_sqlite::testing
