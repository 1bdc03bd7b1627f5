#include "sightline/core/file_format.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace sightline::core {
namespace {

using plugin::FileKind;
using plugin::ValueType;

ByteSource string_source(std::string data) {
    auto offset = std::make_shared<size_t>(0);
    auto text = std::make_shared<std::string>(std::move(data));
    return [=](char* buffer, size_t size) {
        const size_t n = std::min(size, text->size() - *offset);
        std::memcpy(buffer, text->data() + *offset, n);
        *offset += n;
        return n;
    };
}

// A plugin::Value copied out of the converter's views.
struct Cell {
    bool present = false;
    int64_t i = 0;
    uint64_t u = 0;
    std::string s;
};

struct Loaded {
    std::vector<plugin::Column> columns;
    std::vector<FormatError> header_errors;
    std::vector<FormatError> errors;  // from records
    std::vector<std::vector<Cell>> rows;
    size_t rejected = 0;
};

Loaded load(const std::string& csv, FileKind kind = FileKind::sales, FormatOptions options = {},
            char delimiter = ',') {
    Loaded result;
    CsvReader reader(string_source(csv), delimiter);
    CsvRecord record;
    if (!reader.next(record)) return result;
    FileFormat format(kind, record, options, result.header_errors);
    result.columns = format.columns();
    if (!result.header_errors.empty()) return result;
    EXPECT_EQ(format.kind(), kind);
    std::vector<plugin::Value> values(format.columns().size());
    while (reader.next(record)) {
        if (!format.convert(record, values.data(), result.errors)) {
            ++result.rejected;
            continue;
        }
        std::vector<Cell> row;
        for (const plugin::Value& v : values)
            row.push_back({v.present, v.i, v.u, std::string(v.s)});
        result.rows.push_back(std::move(row));
    }
    return result;
}

const char* const sales_header = "order,timestamp,customer,item,price,quantity\n";

// One sales record's errors.
std::vector<FormatError> record_errors(const std::string& line, FormatOptions options = {}) {
    const Loaded loaded = load(sales_header + line + "\n", FileKind::sales, options);
    EXPECT_TRUE(loaded.header_errors.empty());
    return loaded.errors;
}

// The one error of a sales record whose other cells are valid.
FormatError one_error(const std::string& line, FormatOptions options = {}) {
    const std::vector<FormatError> errors = record_errors(line, options);
    EXPECT_EQ(errors.size(), 1u) << line;
    return errors.empty() ? FormatError{} : errors[0];
}

std::vector<FormatError> header_errors(const std::string& header, FileKind kind = FileKind::sales,
                                       FormatOptions options = {}) {
    return load(header + "\n", kind, options).header_errors;
}

FormatError one_header_error(const std::string& header, FileKind kind = FileKind::sales,
                             FormatOptions options = {}) {
    const std::vector<FormatError> errors = header_errors(header, kind, options);
    EXPECT_EQ(errors.size(), 1u) << header;
    return errors.empty() ? FormatError{} : errors[0];
}

void expect_error(const FormatError& error, uint64_t line, size_t column,
                  const std::string& column_name, const std::string& reason,
                  bool personal_data = false) {
    EXPECT_EQ(error.line, line);
    EXPECT_EQ(error.column, column);
    EXPECT_EQ(error.column_name, column_name);
    EXPECT_EQ(error.reason, reason);
    EXPECT_EQ(error.personal_data, personal_data);
}

TEST(FileKind, FromName) {
    EXPECT_EQ(file_kind_from_name("catalog_2026-11-01.csv"), FileKind::catalog);
    EXPECT_EQ(file_kind_from_name("catalog.csv"), FileKind::catalog);
    EXPECT_EQ(file_kind_from_name("catalog"), FileKind::catalog);
    EXPECT_EQ(file_kind_from_name("Catalog.csv"), FileKind::sales);
    EXPECT_EQ(file_kind_from_name("my_catalog.csv"), FileKind::sales);
    EXPECT_EQ(file_kind_from_name("sales_2026-11-29.csv"), FileKind::sales);
    EXPECT_EQ(file_kind_from_name("catalo.csv"), FileKind::sales);
    EXPECT_EQ(file_kind_from_name(""), FileKind::sales);
}

TEST(SalesFormat, ColumnsAndValues) {
    const Loaded loaded = load(std::string(sales_header) +
                               "A-1,2026-11-29T13:55:00Z,18446744073709551615,SKU-1,19.99,2\n"
                               "A-2,2026-11-29,9223372036854775808,SKU-2,-5.5,-1\n");
    ASSERT_TRUE(loaded.header_errors.empty());
    ASSERT_EQ(loaded.columns.size(), plugin::sales_fixed_columns);
    const std::vector<std::pair<std::string, ValueType>> expected = {
        {"order", ValueType::string},    {"timestamp", ValueType::timestamp},
        {"customer", ValueType::uint64}, {"item", ValueType::string},
        {"price", ValueType::decimal},   {"quantity", ValueType::decimal}};
    for (size_t c = 0; c < expected.size(); ++c) {
        EXPECT_EQ(loaded.columns[c].name, expected[c].first);
        EXPECT_EQ(loaded.columns[c].type, expected[c].second);
    }
    ASSERT_TRUE(loaded.errors.empty());
    ASSERT_EQ(loaded.rows.size(), 2u);
    const auto& r = loaded.rows[0];
    EXPECT_EQ(r[0].s, "A-1");
    EXPECT_EQ(r[1].i, 1795960500000000);
    EXPECT_EQ(r[2].u, 18446744073709551615ULL);
    EXPECT_EQ(r[3].s, "SKU-1");
    EXPECT_EQ(r[4].i, 19990000);
    EXPECT_EQ(r[5].i, 2000000);
    for (const Cell& cell : r) EXPECT_TRUE(cell.present);
    const auto& r2 = loaded.rows[1];
    EXPECT_EQ(r2[1].i, 1795910400000000);
    EXPECT_EQ(r2[2].u, 9223372036854775808ULL);  // 2^63
    EXPECT_EQ(r2[4].i, -5500000);
    EXPECT_EQ(r2[5].i, -1000000);
}

TEST(SalesFormat, HeaderOrderIsFreeAndQuantityOptional) {
    const Loaded loaded = load(
        "price,item,s_color,customer,timestamp,order,i_units\n"
        "1.5,SKU,red,7,2026-01-01,O1,-3\n");
    ASSERT_TRUE(loaded.header_errors.empty());
    ASSERT_EQ(loaded.columns.size(), 8u);
    EXPECT_EQ(loaded.columns[6].name, "s_color");
    EXPECT_EQ(loaded.columns[6].type, ValueType::string);
    EXPECT_EQ(loaded.columns[7].name, "i_units");
    EXPECT_EQ(loaded.columns[7].type, ValueType::int64);
    ASSERT_EQ(loaded.rows.size(), 1u);
    const auto& r = loaded.rows[0];
    EXPECT_EQ(r[0].s, "O1");
    EXPECT_EQ(r[2].u, 7u);
    EXPECT_EQ(r[3].s, "SKU");
    EXPECT_EQ(r[4].i, 1500000);
    EXPECT_TRUE(r[5].present);  // quantity defaults to 1
    EXPECT_EQ(r[5].i, 1000000);
    EXPECT_EQ(r[6].s, "red");
    EXPECT_EQ(r[7].i, -3);
}

TEST(SalesFormat, EmptyQuantityIsOne) {
    const Loaded loaded = load(std::string(sales_header) +
                               "O,2026-01-01,1,I,1,\n"
                               "O,2026-01-01,1,I,1,\"\"\n"
                               "O,2026-01-01,1,I,1,   \n");
    ASSERT_EQ(loaded.rows.size(), 3u);
    for (const auto& row : loaded.rows) {
        EXPECT_TRUE(row[5].present);
        EXPECT_EQ(row[5].i, 1000000);
    }
}

TEST(SalesFormat, CustomColumnTypesAndMissingValues) {
    const Loaded loaded = load(
        "order,timestamp,customer,item,price,s_note,i_n,f_cost,d_shipped\n"
        "O,2026-01-01,1,I,1,\"\",\"\",\"\",\"\"\n"
        "O,2026-01-01,1,I,1,,,,\n"
        "O,2026-01-01,1,I,1,\"a, b\",-9223372036854775808,0.000001,2026-11-29T15:55:00+02:00\n");
    ASSERT_TRUE(loaded.header_errors.empty());
    ASSERT_TRUE(loaded.errors.empty());
    ASSERT_EQ(loaded.rows.size(), 3u);
    // A quoted "" is an empty string, but no value for a number or a date.
    EXPECT_TRUE(loaded.rows[0][6].present);
    EXPECT_EQ(loaded.rows[0][6].s, "");
    for (size_t c = 7; c <= 9; ++c) EXPECT_FALSE(loaded.rows[0][c].present) << c;
    for (size_t c = 6; c <= 9; ++c) EXPECT_FALSE(loaded.rows[1][c].present) << c;
    EXPECT_EQ(loaded.rows[2][6].s, "a, b");
    EXPECT_EQ(loaded.rows[2][7].i, INT64_MIN);
    EXPECT_EQ(loaded.rows[2][8].i, 1);
    EXPECT_EQ(loaded.rows[2][9].i, 1795960500000000);
    EXPECT_EQ(loaded.columns[8].type, ValueType::decimal);
    EXPECT_EQ(loaded.columns[9].type, ValueType::timestamp);
}

TEST(SalesHeader, UnknownColumnCaseSensitive) {
    const std::vector<FormatError> errors = header_errors("order,timestamp,customer,item,Price");
    ASSERT_EQ(errors.size(), 2u);
    expect_error(errors[0], 1, 5, "Price",
                 "unknown column 'Price': column names are case-sensitive, did you mean 'price'?");
    expect_error(errors[1], 1, 0, "price", "missing required column 'price'");
    expect_error(one_header_error("order,timestamp,customer,item,price,S_Color"), 1, 6, "S_Color",
                 "unknown column 'S_Color': column names are case-sensitive, did you mean "
                 "'s_color'?");
    expect_error(one_header_error("order,timestamp,customer,item,price,s_Color"), 1, 6, "s_Color",
                 "invalid custom column name 's_Color': column names are case-sensitive, did you "
                 "mean 's_color'?");
}

TEST(SalesHeader, UnknownColumns) {
    expect_error(one_header_error("order,timestamp,customer,item,price,colour"), 1, 6, "colour",
                 "unknown column 'colour': expected order, timestamp, customer, item, price, "
                 "quantity, or a custom column s_, i_, f_ or d_ followed by a name");
    expect_error(one_header_error("order,timestamp,customer,item,price,category"), 1, 6, "category",
                 "unknown column 'category': it is a catalog column, and catalog files have names "
                 "starting with 'catalog'");
    expect_error(one_header_error("order,timestamp,customer,item,price,x_foo"), 1, 6, "x_foo",
                 "unknown column 'x_foo': expected order, timestamp, customer, item, price, "
                 "quantity, or a custom column s_, i_, f_ or d_ followed by a name");
}

TEST(SalesHeader, DuplicateAndEmptyNames) {
    expect_error(one_header_error("order,timestamp,customer,item,price,order"), 1, 6, "order",
                 "duplicate column 'order' (also column 1)");
    expect_error(one_header_error("order,timestamp,customer,item,price,s_a,s_a"), 1, 7, "s_a",
                 "duplicate column 's_a' (also column 6)");
    expect_error(one_header_error("order,timestamp,customer,item,price,"), 1, 6, "",
                 "empty column name");
}

TEST(SalesHeader, MissingRequiredColumns) {
    const std::vector<std::string> required = {"order", "timestamp", "customer", "item", "price"};
    for (const std::string& missing : required) {
        std::string header;
        for (const std::string& name : required) {
            if (name != missing) header += (header.empty() ? "" : ",") + name;
        }
        expect_error(one_header_error(header), 1, 0, missing,
                     "missing required column '" + missing + "'");
    }
    EXPECT_EQ(header_errors("quantity").size(), 5u);
}

TEST(SalesHeader, CustomColumnNameRules) {
    const std::string base = "order,timestamp,customer,item,price,";
    const std::string rule = ": after the prefix, use 1 to 48 characters of a-z, 0-9 and _";
    EXPECT_TRUE(header_errors(base + "s_" + std::string(48, 'a')).empty());
    EXPECT_TRUE(header_errors(base + "s_a,i_b_2,f_c3,d_4,s__x_").empty());
    for (const std::string& name :
         {"s_" + std::string(49, 'a'), std::string("s_"), std::string("s_a-b"),
          std::string("f_caf\xC3\xA9"), std::string("d_a.b"), std::string("i_a b")}) {
        expect_error(one_header_error(base + "\"" + name + "\""), 1, 6, name,
                     "invalid custom column name '" + name + "'" + rule);
    }
}

TEST(SalesHeader, AtMostTwentyCustomColumns) {
    std::string header = "order,timestamp,customer,item,price";
    for (int i = 1; i <= 20; ++i) header += ",s_c" + std::to_string(i);
    EXPECT_TRUE(header_errors(header).empty());
    header += ",f_c21,i_c22";
    const std::vector<FormatError> errors = header_errors(header);
    ASSERT_EQ(errors.size(), 1u);
    expect_error(errors[0], 1, 26, "f_c21", "more than 20 custom columns in one file");
}

TEST(SalesHeader, PersonalDataColumnNames) {
    const std::string base = "order,timestamp,customer,item,price,";
    expect_error(one_header_error(base + "s_customer_name"), 1, 6, "s_customer_name",
                 "column name looks like personal data: token 'name' not after "
                 "item/product/category/brand/store/campaign",
                 true);
    expect_error(one_header_error(base + "s_first_name"), 1, 6, "s_first_name",
                 "column name looks like personal data: token 'name' not after "
                 "item/product/category/brand/store/campaign",
                 true);
    expect_error(one_header_error(base + "s_email"), 1, 6, "s_email",
                 "column name looks like personal data: token 'email'", true);
    expect_error(one_header_error(base + "d_birth_day"), 1, 6, "d_birth_day",
                 "column name looks like personal data: token 'birth'", true);
    expect_error(one_header_error(base + "i_zip"), 1, 6, "i_zip",
                 "column name looks like personal data: token 'zip'", true);
    EXPECT_TRUE(header_errors(base + "s_product_name,s_description,s_brand_name").empty());
}

TEST(SalesHeader, PersonalDataInUnknownColumnNames) {
    const std::string base = "order,timestamp,customer,item,price,";
    expect_error(one_header_error(base + "email"), 1, 6, "email",
                 "unknown column 'email': expected order, timestamp, customer, item, price, "
                 "quantity, or a custom column s_, i_, f_ or d_ followed by a name (and it looks "
                 "like personal data: token 'email')",
                 true);
    expect_error(one_header_error(base + "s_Phone"), 1, 6, "s_Phone",
                 "invalid custom column name 's_Phone': column names are case-sensitive, did you "
                 "mean 's_phone'? (and it looks like personal data: token 'phone')",
                 true);
    // With allow_pii the name is still unknown, but not personal data.
    expect_error(one_header_error(base + "email", FileKind::sales, {true}), 1, 6, "email",
                 "unknown column 'email': expected order, timestamp, customer, item, price, "
                 "quantity, or a custom column s_, i_, f_ or d_ followed by a name");
}

TEST(SalesHeader, AllowPiiLetsPersonalColumnsThrough) {
    const Loaded loaded = load(
        "order,timestamp,customer,item,price,s_customer_name,s_email\n"
        "O,2026-01-01,1,I,1,Jane Doe,jane@example.com\n",
        FileKind::sales, {true});
    EXPECT_TRUE(loaded.header_errors.empty());
    EXPECT_TRUE(loaded.errors.empty());
    ASSERT_EQ(loaded.rows.size(), 1u);
    EXPECT_EQ(loaded.rows[0][6].s, "Jane Doe");
    EXPECT_EQ(loaded.rows[0][7].s, "jane@example.com");
}

TEST(SalesHeader, MalformedHeader) {
    expect_error(one_header_error("order,\"timestamp"), 1, 2, "",
                 "header: unterminated quoted field (missing closing quote)");
}

TEST(SalesRecord, FieldCountMustMatchTheHeader) {
    const Loaded loaded = load(std::string(sales_header) +
                               "O,2026-01-01,1,I,1\n"
                               "O,2026-01-01,1,I,1,1,extra\n"
                               "O,2026-01-01,1,I,1,1\n");
    ASSERT_EQ(loaded.errors.size(), 2u);
    expect_error(loaded.errors[0], 2, 0, "", "expected 6 fields, found 5");
    expect_error(loaded.errors[1], 3, 0, "", "expected 6 fields, found 7");
    EXPECT_EQ(loaded.rows.size(), 1u);
}

TEST(SalesRecord, RequiredCellsMustBePresent) {
    expect_error(one_error(",2026-01-01,1,I,1,1"), 2, 1, "order",
                 "missing value in a required column");
    expect_error(one_error("O,,1,I,1,1"), 2, 2, "timestamp", "missing value in a required column");
    expect_error(one_error("O,2026-01-01,\"\",I,1,1"), 2, 3, "customer",
                 "missing value in a required column");
    expect_error(one_error("O,2026-01-01,1,  ,1,1"), 2, 4, "item",
                 "missing value in a required column");
    expect_error(one_error("O,2026-01-01,1,I,,1"), 2, 5, "price",
                 "missing value in a required column");
    // A quoted "" order is present but too short.
    expect_error(one_error("\"\",2026-01-01,1,I,1,1"), 2, 1, "order",
                 "must be 1 to 64 characters (found 0)");
    EXPECT_EQ(record_errors(",,,,,").size(), 5u);
}

TEST(SalesRecord, StringLengthsInCodePoints) {
    const std::string euro = "\xE2\x82\xAC";  // one code point, three bytes
    std::string order64, item128;
    for (int i = 0; i < 64; ++i) order64 += euro;
    for (int i = 0; i < 128; ++i) item128 += euro;
    EXPECT_TRUE(record_errors(order64 + ",2026-01-01,1," + item128 + ",1,1").empty());
    expect_error(one_error(order64 + "x,2026-01-01,1,I,1,1"), 2, 1, "order",
                 "must be 1 to 64 characters (found 65)");
    expect_error(one_error("O,2026-01-01,1," + item128 + "x,1,1"), 2, 4, "item",
                 "must be 1 to 128 characters (found 129)");

    const std::string header = "order,timestamp,customer,item,price,s_note\n";
    std::string note256;
    for (int i = 0; i < 256; ++i) note256 += euro;
    EXPECT_TRUE(load(header + "O,2026-01-01,1,I,1," + note256 + "\n").errors.empty());
    const Loaded over = load(header + "O,2026-01-01,1,I,1," + note256 + "x\n");
    ASSERT_EQ(over.errors.size(), 1u);
    expect_error(over.errors[0], 2, 6, "s_note", "must be at most 256 characters (found 257)");
}

TEST(SalesRecord, CustomerIsAnUnsigned64BitId) {
    const auto customer = [](const std::string& text) {
        const Loaded loaded = load(std::string(sales_header) + "O,2026-01-01," + text + ",I,1,1\n");
        return loaded.rows.empty() ? ~uint64_t{0} - 1 : loaded.rows[0][2].u;
    };
    EXPECT_EQ(customer("0"), 0u);
    EXPECT_EQ(customer("9223372036854775807"), 9223372036854775807ULL);
    EXPECT_EQ(customer("9223372036854775808"), 9223372036854775808ULL);
    EXPECT_EQ(customer("18446744073709551615"), 18446744073709551615ULL);
    EXPECT_EQ(customer("000042"), 42u);
    EXPECT_EQ(customer("  42  "), 42u);  // unquoted: trimmed
    expect_error(one_error("O,2026-01-01,18446744073709551616,I,1,1"), 2, 3, "customer",
                 "larger than 18446744073709551615");
    expect_error(one_error("O,2026-01-01,99999999999999999999999,I,1,1"), 2, 3, "customer",
                 "larger than 18446744073709551615");
    for (const char* text : {"-1", "+1", "1 2", "\" 1\"", "1.0", "1e3", "abc", "0x1F", "１"}) {
        expect_error(one_error(std::string("O,2026-01-01,") + text + ",I,1,1"), 2, 3, "customer",
                     "not an unsigned integer (digits 0-9 only)");
    }
}

TEST(SalesRecord, IntegerColumnsAreSigned64Bit) {
    const std::string header = "order,timestamp,customer,item,price,i_n\n";
    const auto value = [&](const std::string& text) {
        const Loaded loaded = load(header + "O,2026-01-01,1,I,1," + text + "\n");
        return loaded.rows.empty() ? int64_t{-424242} : loaded.rows[0][6].i;
    };
    EXPECT_EQ(value("9223372036854775807"), INT64_MAX);
    EXPECT_EQ(value("-9223372036854775808"), INT64_MIN);
    EXPECT_EQ(value("+5"), 5);
    EXPECT_EQ(value("-0"), 0);
    const auto error = [&](const std::string& text) {
        const Loaded loaded = load(header + "O,2026-01-01,1,I,1," + text + "\n");
        EXPECT_EQ(loaded.errors.size(), 1u) << text;
        return loaded.errors.empty() ? std::string() : loaded.errors[0].reason;
    };
    EXPECT_EQ(error("9223372036854775808"), "outside the signed 64-bit range");
    EXPECT_EQ(error("-9223372036854775809"), "outside the signed 64-bit range");
    EXPECT_EQ(error("1.0"), "not an integer");
    EXPECT_EQ(error("-"), "not an integer");
    EXPECT_EQ(error("1e3"), "not an integer");
    EXPECT_EQ(error("--1"), "not an integer");
}

TEST(SalesRecord, BadDecimals) {
    expect_error(one_error("O,2026-01-01,1,I,1.1234567,1"), 2, 5, "price",
                 "more than 6 decimal places");
    expect_error(one_error("O,2026-01-01,1,I,\"1,000.00\",1"), 2, 5, "price",
                 "not a decimal number (the decimal point is '.', and no thousands separators are "
                 "allowed)");
    expect_error(one_error("O,2026-01-01,1,I,1e3,1"), 2, 5, "price",
                 "not a decimal number (no exponent allowed)");
    expect_error(one_error("O,2026-01-01,1,I,1000000000000,1"), 2, 5, "price",
                 "absolute value not below 10^12");
    expect_error(one_error("O,2026-01-01,1,I,1,abc"), 2, 6, "quantity", "not a decimal number");
    expect_error(one_error("O,2026-01-01,1,I,1,-"), 2, 6, "quantity", "not a decimal number");
    const Loaded custom =
        load("order,timestamp,customer,item,price,f_cost\nO,2026-01-01,1,I,1,.\n");
    ASSERT_EQ(custom.errors.size(), 1u);
    expect_error(custom.errors[0], 2, 6, "f_cost", "not a decimal number");
}

TEST(SalesRecord, BadTimestamps) {
    expect_error(one_error("O,2026-02-30,1,I,1,1"), 2, 2, "timestamp", "no such day in that month");
    expect_error(one_error("O,2026-11-29T13:55:00,1,I,1,1"), 2, 2, "timestamp",
                 "time without a UTC offset (add Z or +HH:MM)");
    expect_error(one_error("O,2026-11-29T13:55:00.1234567Z,1,I,1,1"), 2, 2, "timestamp",
                 "more than 6 digits of fractional seconds (the limit is microseconds)");
    expect_error(one_error("O,29/11/2026,1,I,1,1"), 2, 2, "timestamp",
                 "not a timestamp (expected YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or "
                 "YYYY-MM-DDTHH:MM:SS+HH:MM)");
    const Loaded custom = load(
        "order,timestamp,customer,item,price,d_shipped\nO,2026-01-01,1,I,1,2026-11-29T24:00:00Z\n");
    ASSERT_EQ(custom.errors.size(), 1u);
    expect_error(custom.errors[0], 2, 6, "d_shipped", "hour out of range (00-23)");
}

TEST(SalesRecord, EveryBadCellOfARecordIsReported) {
    const std::vector<FormatError> errors = record_errors("O,2026-13-01,x,I,1.1234567,1");
    ASSERT_EQ(errors.size(), 3u);
    EXPECT_EQ(errors[0].column, 2u);
    EXPECT_EQ(errors[1].column, 3u);
    EXPECT_EQ(errors[2].column, 5u);
}

TEST(SalesRecord, EmailsInStringValuesArePersonalData) {
    const std::string reason = "looks like an email address: personal data is not accepted";
    expect_error(one_error("jane@example.com,2026-01-01,1,I,1,1"), 2, 1, "order", reason, true);
    expect_error(one_error("O,2026-01-01,1,\"for a.b@ex.co, thanks\",1,1"), 2, 4, "item", reason,
                 true);
    // Where a number belongs too: the customer column is never an email.
    expect_error(one_error("O,2026-01-01,jane@example.com,I,1,1"), 2, 3, "customer", reason, true);
    const Loaded custom = load(
        "order,timestamp,customer,item,price,s_note\nO,2026-01-01,1,I,1,call jane@example.com\n");
    ASSERT_EQ(custom.errors.size(), 1u);
    expect_error(custom.errors[0], 2, 6, "s_note", reason, true);
    // Not an email: no top-level label of two letters.
    EXPECT_TRUE(record_errors("O@1,2026-01-01,1,a@b.c,1,1").empty());
}

TEST(SalesRecord, AllowPiiLetsEmailValuesThrough) {
    const Loaded loaded = load(std::string(sales_header) + "jane@example.com,2026-01-01,1,I,1,1\n",
                               FileKind::sales, {true});
    ASSERT_TRUE(loaded.errors.empty());
    ASSERT_EQ(loaded.rows.size(), 1u);
    EXPECT_EQ(loaded.rows[0][0].s, "jane@example.com");
    // Still not a customer id.
    expect_error(one_error("O,2026-01-01,jane@example.com,I,1,1", {true}), 2, 3, "customer",
                 "not an unsigned integer (digits 0-9 only)");
}

TEST(SalesRecord, MalformedRecordsBecomeErrors) {
    const Loaded loaded = load(std::string(sales_header) +
                               "O,2026-01-01,1,I\"x,1,1\n"
                               "O,2026-01-01,1,caf\xC3,1,1\n"
                               "O,2026-01-01,1,I,1,1\n");
    ASSERT_EQ(loaded.errors.size(), 2u);
    expect_error(loaded.errors[0], 2, 4, "item",
                 "quote inside an unquoted field (quote the whole field and double the inner "
                 "quote)");
    expect_error(loaded.errors[1], 3, 4, "item", "invalid UTF-8 in field 4");
    EXPECT_EQ(loaded.rows.size(), 1u);
}

TEST(SalesRecord, OversizedRecordIsAnError) {
    const Loaded loaded = load(std::string(sales_header) + "O,2026-01-01,1," +
                               std::string(2 << 20, 'i') + ",1,1\nO,2026-01-01,1,I,1,1\n");
    ASSERT_EQ(loaded.errors.size(), 1u);
    expect_error(loaded.errors[0], 2, 0, "", "record longer than 1 MiB");
    EXPECT_EQ(loaded.rows.size(), 1u);
}

TEST(SalesFile, RealExportHabits) {
    // BOM, CRLF, semicolons, quoted values with line breaks and doubled quotes, trailing spaces,
    // blank lines, no final newline: line numbers in errors stay physical.
    const std::string csv =
        "\xEF\xBB\xBForder;timestamp;customer;item;price;s_note\r\n"
        "O1 ; 2026-11-29T13:55:00Z ; 42 ; SKU-1 ; 10.00 ; \"two\r\nlines, \"\"quoted\"\"\"\r\n"
        "\r\n"
        "O2;2026-11-29;42;SKU-2;oops;\r\n"
        "O3;2026-11-29;42;SKU-3;-10;\"\"";
    const Loaded loaded = load(csv, FileKind::sales, {}, ';');
    ASSERT_TRUE(loaded.header_errors.empty());
    ASSERT_EQ(loaded.errors.size(), 1u);
    expect_error(loaded.errors[0], 5, 5, "price", "not a decimal number");
    ASSERT_EQ(loaded.rows.size(), 2u);
    EXPECT_EQ(loaded.rows[0][0].s, "O1");
    EXPECT_EQ(loaded.rows[0][4].i, 10000000);
    EXPECT_EQ(loaded.rows[0][6].s, "two\r\nlines, \"quoted\"");
    EXPECT_EQ(loaded.rows[1][4].i, -10000000);
    EXPECT_TRUE(loaded.rows[1][6].present);
    EXPECT_EQ(loaded.rows[1][6].s, "");
}

TEST(SalesFile, HeaderOnlyHasNoRecords) {
    const Loaded loaded = load(sales_header);
    EXPECT_TRUE(loaded.header_errors.empty());
    EXPECT_TRUE(loaded.errors.empty());
    EXPECT_TRUE(loaded.rows.empty());
}

const char* const catalog_header = "item,category,title,brand\n";

TEST(CatalogFormat, ColumnsAndCanonicalCategory) {
    const Loaded loaded = load(std::string("s_colour,category,item\n") +
                                   "red, Shoes > Running | Sale ,SKU-1\n"
                                   "blue,Shoes,SKU-2\n"
                                   "green,\"Men's >  Running Shoes|Outlet>Last  Pairs\",SKU-3\n",
                               FileKind::catalog);
    ASSERT_TRUE(loaded.header_errors.empty());
    ASSERT_EQ(loaded.columns.size(), plugin::catalog_fixed_columns + 1);
    const std::vector<std::string> names = {"item", "category", "title", "brand", "s_colour"};
    for (size_t c = 0; c < names.size(); ++c) {
        EXPECT_EQ(loaded.columns[c].name, names[c]);
        EXPECT_EQ(loaded.columns[c].type, ValueType::string);
    }
    ASSERT_TRUE(loaded.errors.empty());
    ASSERT_EQ(loaded.rows.size(), 3u);
    EXPECT_EQ(loaded.rows[0][0].s, "SKU-1");
    EXPECT_EQ(loaded.rows[0][1].s, "Shoes>Running|Sale");
    EXPECT_FALSE(loaded.rows[0][2].present);  // no title column
    EXPECT_FALSE(loaded.rows[0][3].present);
    EXPECT_EQ(loaded.rows[0][4].s, "red");
    EXPECT_EQ(loaded.rows[1][1].s, "Shoes");
    EXPECT_EQ(loaded.rows[2][1].s, "Men's>Running Shoes|Outlet>Last  Pairs");
}

TEST(CatalogFormat, TitleAndBrandAreOptionalValues) {
    const Loaded loaded =
        load(std::string(catalog_header) + "A,Shoes,Runner 2,\nB,Shoes,,Acme\n", FileKind::catalog);
    ASSERT_TRUE(loaded.errors.empty());
    ASSERT_EQ(loaded.rows.size(), 2u);
    EXPECT_EQ(loaded.rows[0][2].s, "Runner 2");
    EXPECT_FALSE(loaded.rows[0][3].present);
    EXPECT_FALSE(loaded.rows[1][2].present);
    EXPECT_EQ(loaded.rows[1][3].s, "Acme");
}

TEST(CatalogFormat, EmptyCategoryLevelOrPath) {
    const Loaded loaded = load(std::string(catalog_header) +
                                   "A,Shoes>>Running,,\n"
                                   "B,Shoes|,,\n"
                                   "C, | Sale,,\n"
                                   "D,Shoes> |Sale,,\n"
                                   "E,,,\n"
                                   "F,\"\",,\n"
                                   "G,>,,\n",
                               FileKind::catalog);
    ASSERT_EQ(loaded.errors.size(), 7u);
    const std::string level = "empty category level (around '>')";
    const std::string path = "empty category path (around '|')";
    expect_error(loaded.errors[0], 2, 2, "category", level);
    expect_error(loaded.errors[1], 3, 2, "category", path);
    expect_error(loaded.errors[2], 4, 2, "category", path);
    expect_error(loaded.errors[3], 5, 2, "category", level);
    expect_error(loaded.errors[4], 6, 2, "category", "missing value in a required column");
    expect_error(loaded.errors[5], 7, 2, "category", path);
    expect_error(loaded.errors[6], 8, 2, "category", level);
}

TEST(CatalogFormat, ItemListedTwice) {
    const Loaded loaded = load(std::string(catalog_header) +
                                   "A,Shoes,,\n"
                                   "B,Shoes,,\n"
                                   "A,Sale,,\n"
                                   "A,Sale,,\n",
                               FileKind::catalog);
    ASSERT_EQ(loaded.errors.size(), 2u);
    expect_error(loaded.errors[0], 4, 1, "item", "item 'A' listed twice (first on line 2)");
    expect_error(loaded.errors[1], 5, 1, "item", "item 'A' listed twice (first on line 2)");
}

TEST(CatalogFormat, ItemRules) {
    const Loaded loaded =
        load(std::string(catalog_header) + ",Shoes,,\n" + std::string(129, 'i') + ",Shoes,,\n",
             FileKind::catalog);
    ASSERT_EQ(loaded.errors.size(), 2u);
    expect_error(loaded.errors[0], 2, 1, "item", "missing value in a required column");
    expect_error(loaded.errors[1], 3, 1, "item", "must be 1 to 128 characters (found 129)");
}

TEST(CatalogHeader, Rules) {
    expect_error(one_header_error("item", FileKind::catalog), 1, 0, "category",
                 "missing required column 'category'");
    expect_error(one_header_error("category", FileKind::catalog), 1, 0, "item",
                 "missing required column 'item'");
    expect_error(one_header_error("item,category,i_stock", FileKind::catalog), 1, 3, "i_stock",
                 "unknown column 'i_stock': catalog files take only s_ custom columns");
    expect_error(one_header_error("item,category,price", FileKind::catalog), 1, 3, "price",
                 "unknown column 'price': it is a sales column, and this file is a catalog (its "
                 "name starts with 'catalog')");
    expect_error(one_header_error("item,category,Title", FileKind::catalog), 1, 3, "Title",
                 "unknown column 'Title': column names are case-sensitive, did you mean 'title'?");
    expect_error(one_header_error("item,category,s_customer_name", FileKind::catalog), 1, 3,
                 "s_customer_name",
                 "column name looks like personal data: token 'name' not after "
                 "item/product/category/brand/store/campaign",
                 true);
    EXPECT_TRUE(
        header_errors("item,category,s_product_name,s_description", FileKind::catalog).empty());
}

TEST(CatalogFormat, EmailsInAnyStringColumn) {
    const std::string reason = "looks like an email address: personal data is not accepted";
    const Loaded loaded = load(std::string("item,category,title,brand,s_x\n") +
                                   "A,Shoes,by jane@example.com,,\n"
                                   "B,Shoes,,x@brand.com,\n"
                                   "C,Shoes>a@b.cd,,,\n"
                                   "D,Shoes,,,a@b.cd\n"
                                   "e@f.gh,Shoes,,,\n",
                               FileKind::catalog);
    ASSERT_EQ(loaded.errors.size(), 5u);
    expect_error(loaded.errors[0], 2, 3, "title", reason, true);
    expect_error(loaded.errors[1], 3, 4, "brand", reason, true);
    expect_error(loaded.errors[2], 4, 2, "category", reason, true);
    expect_error(loaded.errors[3], 5, 5, "s_x", reason, true);
    expect_error(loaded.errors[4], 6, 1, "item", reason, true);
    const Loaded allowed =
        load(std::string("item,category,title,brand,s_x\n") + "A,Shoes,by jane@example.com,,\n",
             FileKind::catalog, {true});
    EXPECT_TRUE(allowed.errors.empty());
}

}  // namespace
}  // namespace sightline::core
