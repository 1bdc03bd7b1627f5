#include "sightline/core/csv_reader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <random>
#include <stdexcept>

#include "sightline/core/utf8.hpp"

namespace sightline::core {
namespace {

// A source over a string that hands out at most `chunk` bytes per read, so that tests can put
// the buffer boundaries anywhere.
ByteSource string_source(std::string data, size_t chunk = 1 << 30) {
    auto offset = std::make_shared<size_t>(0);
    auto text = std::make_shared<std::string>(std::move(data));
    return [=](char* buffer, size_t size) {
        const size_t n = std::min({size, chunk, text->size() - *offset});
        std::memcpy(buffer, text->data() + *offset, n);
        *offset += n;
        return n;
    };
}

// A record copied out of the reader's views.
struct Row {
    uint64_t line = 0;
    std::vector<std::string> fields;  // quoted fields shown as "<text>", missing ones as ~
    bool malformed = false;
    size_t error_column = 0;
    std::string error;
};

std::vector<Row> read_all(const std::string& data, char delimiter = ',', size_t chunk = 1 << 30,
                          size_t max_record = CsvReader::default_max_record) {
    CsvReader reader(string_source(data, chunk), delimiter, max_record);
    std::vector<Row> rows;
    CsvRecord record;
    while (reader.next(record)) {
        Row row{record.line, {}, record.malformed, record.error_column, record.error};
        for (const CsvField& field : record.fields) {
            if (field.missing()) {
                row.fields.push_back("~");
            } else {
                row.fields.push_back(field.quoted ? "<" + std::string(field.text) + ">"
                                                  : std::string(field.text));
            }
        }
        rows.push_back(std::move(row));
    }
    EXPECT_EQ(reader.bytes_read(), data.size());
    return rows;
}

using Fields = std::vector<std::string>;

TEST(CsvReader, SimpleRecords) {
    const auto rows = read_all("a,b,c\n1,2,3\n");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].fields, (Fields{"a", "b", "c"}));
    EXPECT_EQ(rows[1].fields, (Fields{"1", "2", "3"}));
    EXPECT_EQ(rows[0].line, 1u);
    EXPECT_EQ(rows[1].line, 2u);
    EXPECT_FALSE(rows[0].malformed);
    EXPECT_FALSE(rows[1].malformed);
}

TEST(CsvReader, EmptyInput) {
    EXPECT_TRUE(read_all("").empty());
    EXPECT_TRUE(read_all("\n\n\r\n  \n").empty());
    EXPECT_TRUE(read_all("\xEF\xBB\xBF").empty());
}

TEST(CsvReader, SkipsByteOrderMarkAtTheStartOnly) {
    const auto rows = read_all("\xEF\xBB\xBForder,item\n\xEF\xBB\xBFx,y\n");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].fields, (Fields{"order", "item"}));
    EXPECT_EQ(rows[1].fields, (Fields{"\xEF\xBB\xBFx", "y"}));  // data elsewhere
    EXPECT_EQ(rows[0].line, 1u);
}

TEST(CsvReader, ByteOrderMarkSplitAcrossReads) {
    const auto rows = read_all(
        "\xEF\xBB\xBF"
        "a,b\n",
        ',', 1);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].fields, (Fields{"a", "b"}));
}

TEST(CsvReader, CrLfLineEnds) {
    const auto rows = read_all("a,b\r\n1,2\r\n\r\n3,4\r\n");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[1].fields, (Fields{"1", "2"}));
    EXPECT_EQ(rows[2].fields, (Fields{"3", "4"}));
    EXPECT_EQ(rows[2].line, 4u);
}

TEST(CsvReader, BareCrLineEnds) {
    const auto rows = read_all("a,b\r1,2\r\r3,4");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[1].fields, (Fields{"1", "2"}));
    EXPECT_EQ(rows[2].fields, (Fields{"3", "4"}));
    EXPECT_EQ(rows[2].line, 4u);
}

TEST(CsvReader, MissingFinalNewline) {
    const auto rows = read_all("a,b\n1,2");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1].fields, (Fields{"1", "2"}));
    const auto trailing_empty = read_all("a,b\n1,");
    ASSERT_EQ(trailing_empty.size(), 2u);
    EXPECT_EQ(trailing_empty[1].fields, (Fields{"1", "~"}));
}

TEST(CsvReader, QuotedDelimiterAndDoubledQuotes) {
    const auto rows = read_all("\"a,b\",\"say \"\"hi\"\"\",\"\"\"\"\n");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].fields, (Fields{"<a,b>", "<say \"hi\">", "<\">"}));
}

TEST(CsvReader, QuotedLineBreaksKeepLineCounting) {
    const auto rows = read_all("h1,h2\n\"line one\nline two\",x\n\"a\r\nb\r\nc\",y\nlast,z\n");
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[1].fields, (Fields{"<line one\nline two>", "x"}));
    EXPECT_EQ(rows[1].line, 2u);
    EXPECT_EQ(rows[2].fields, (Fields{"<a\r\nb\r\nc>", "y"}));
    EXPECT_EQ(rows[2].line, 4u);
    EXPECT_EQ(rows[3].fields, (Fields{"last", "z"}));
    EXPECT_EQ(rows[3].line, 7u);
}

TEST(CsvReader, LoneCrInsideQuotesIsData) {
    const auto rows = read_all("\"a\rb\",c\nd,e\n");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].fields, (Fields{"<a\rb>", "c"}));
    // A lone CR is a line break to an editor, so the next record starts on line 3.
    EXPECT_EQ(rows[1].line, 3u);
}

TEST(CsvReader, TrimsSpacesAndTabsAroundUnquotedValues) {
    const auto rows = read_all("  a  ,\tb\t, c d ,\t \n");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].fields, (Fields{"a", "b", "c d", "~"}));
}

TEST(CsvReader, SpacesAroundQuotedValueTolerated) {
    const auto rows = read_all("  \" a \"  ,\t\"b\"\t\n");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].fields, (Fields{"< a >", "<b>"}));
    EXPECT_FALSE(rows[0].malformed);
}

TEST(CsvReader, MissingVersusQuotedEmpty) {
    CsvReader reader(string_source("a,,\"\", ,\n"), ',');
    CsvRecord record;
    ASSERT_TRUE(reader.next(record));
    ASSERT_EQ(record.fields.size(), 5u);
    EXPECT_FALSE(record.fields[0].missing());
    EXPECT_TRUE(record.fields[1].missing());
    EXPECT_FALSE(record.fields[2].missing());
    EXPECT_TRUE(record.fields[2].quoted);
    EXPECT_EQ(record.fields[2].text, "");
    EXPECT_TRUE(record.fields[3].missing());
    EXPECT_TRUE(record.fields[4].missing());
    EXPECT_FALSE(reader.next(record));
}

TEST(CsvReader, BlankLinesAreSkippedButCounted) {
    const auto rows = read_all("a,b\n\n   \n\t\n1,2\n\n\n");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1].line, 5u);
    // A line of delimiters is not blank: it is a record of missing values.
    const auto commas = read_all("a,b\n,\n");
    ASSERT_EQ(commas.size(), 2u);
    EXPECT_EQ(commas[1].fields, (Fields{"~", "~"}));
    // Neither is a quoted empty value.
    const auto quoted = read_all("\"\"\n");
    ASSERT_EQ(quoted.size(), 1u);
    EXPECT_EQ(quoted[0].fields, (Fields{"<>"}));
}

TEST(CsvReader, RaggedRowsAreReturnedAsTheyAre) {
    const auto rows = read_all("a,b,c\n1,2\n1,2,3,4\n");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[1].fields.size(), 2u);
    EXPECT_EQ(rows[2].fields.size(), 4u);
    EXPECT_FALSE(rows[1].malformed);
}

TEST(CsvReader, OtherDelimiters) {
    const auto semicolon = read_all("a;\"b;c\";d,e\n", ';');
    ASSERT_EQ(semicolon.size(), 1u);
    EXPECT_EQ(semicolon[0].fields, (Fields{"a", "<b;c>", "d,e"}));
    const auto pipe = read_all("a|b | c\n", '|');
    ASSERT_EQ(pipe.size(), 1u);
    EXPECT_EQ(pipe[0].fields, (Fields{"a", "b", "c"}));
}

TEST(CsvReader, TabDelimiterIsNotTrimmed) {
    const auto rows = read_all("a\t\tb\t c \n", '\t');
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].fields, (Fields{"a", "~", "b", "c"}));
    const auto tabs_only = read_all("\t\n", '\t');
    ASSERT_EQ(tabs_only.size(), 1u);
    EXPECT_EQ(tabs_only[0].fields, (Fields{"~", "~"}));
}

TEST(CsvReader, RefusesUnusableDelimiters) {
    for (const char delimiter : {'"', '\n', '\r', ' '}) {
        EXPECT_THROW(CsvReader(string_source(""), delimiter), std::invalid_argument);
    }
}

TEST(CsvReader, QuoteInsideUnquotedFieldIsMalformed) {
    const auto rows = read_all("a,b\"c,d\nx,y\n");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_TRUE(rows[0].malformed);
    EXPECT_EQ(rows[0].error_column, 2u);
    EXPECT_EQ(rows[0].error,
              "quote inside an unquoted field (quote the whole field and double the inner quote)");
    EXPECT_FALSE(rows[1].malformed);
    EXPECT_EQ(rows[1].fields, (Fields{"x", "y"}));
    EXPECT_EQ(rows[1].line, 2u);
}

TEST(CsvReader, TextAfterClosingQuoteIsMalformed) {
    const auto rows = read_all("a,b,\"c\"d,e\nx,y\n");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_TRUE(rows[0].malformed);
    EXPECT_EQ(rows[0].error_column, 3u);
    EXPECT_EQ(rows[0].error, "text after the closing quote of a quoted field");
    EXPECT_EQ(rows[1].fields, (Fields{"x", "y"}));
}

TEST(CsvReader, UnterminatedQuoteAtEndOfInput) {
    const auto rows = read_all("a,b\nx,\"never closed\nmore\n");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_FALSE(rows[0].malformed);
    EXPECT_TRUE(rows[1].malformed);
    EXPECT_EQ(rows[1].line, 2u);
    EXPECT_EQ(rows[1].error_column, 2u);
    EXPECT_EQ(rows[1].error, "unterminated quoted field (missing closing quote)");
}

TEST(CsvReader, InvalidUtf8NamesTheField) {
    const auto rows = read_all("ok,caf\xC3\xA9\nok,\xFF,x\n\"a\",\"b\xC3\"\nfine,\xE2\x82\xAC\n");
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_FALSE(rows[0].malformed);
    EXPECT_EQ(rows[0].fields, (Fields{"ok", "caf\xC3\xA9"}));
    EXPECT_TRUE(rows[1].malformed);
    EXPECT_EQ(rows[1].error_column, 2u);
    EXPECT_EQ(rows[1].error, "invalid UTF-8 in field 2");
    EXPECT_TRUE(rows[2].malformed);
    EXPECT_EQ(rows[2].error, "invalid UTF-8 in field 2");
    EXPECT_FALSE(rows[3].malformed);
}

TEST(CsvReader, ErrorsDoNotStopTheReader) {
    std::string data = "h\n";
    for (int i = 0; i < 150; ++i) data += "a\"b\n";
    data += "end\n";
    const auto rows = read_all(data);
    ASSERT_EQ(rows.size(), 152u);
    EXPECT_EQ(std::count_if(rows.begin(), rows.end(), [](const Row& r) { return r.malformed; }),
              150);
    EXPECT_EQ(rows.back().fields, (Fields{"end"}));
    EXPECT_EQ(rows.back().line, 152u);
}

TEST(CsvReader, RecordOverOneMiBIsRefusedAndTheNextOneRead) {
    const std::string big(2 << 20, 'x');
    const std::string data = "a,b\n1," + big + "\n2,3\n";
    const auto rows = read_all(data);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_TRUE(rows[1].malformed);
    EXPECT_EQ(rows[1].error, "record longer than 1 MiB");
    EXPECT_EQ(rows[1].line, 2u);
    EXPECT_TRUE(rows[1].fields.empty());
    EXPECT_FALSE(rows[2].malformed);
    EXPECT_EQ(rows[2].fields, (Fields{"2", "3"}));
    EXPECT_EQ(rows[2].line, 3u);
}

TEST(CsvReader, OversizedQuotedRecordResynchronisesOutsideQuotes) {
    // The line breaks and delimiters inside the quotes are skipped along with the record, and
    // still counted as lines.
    std::string big;
    while (big.size() < (3u << 20)) big += "text, \"\"quoted\"\"\r\nmore\n";
    const std::string data = "a,b\n1,\"" + big + "\"\r\n2,3\n";
    const auto rows = read_all(data);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_TRUE(rows[1].malformed);
    EXPECT_EQ(rows[1].error, "record longer than 1 MiB");
    const auto breaks = static_cast<uint64_t>(std::count(big.begin(), big.end(), '\n'));
    EXPECT_EQ(rows[2].fields, (Fields{"2", "3"}));
    EXPECT_EQ(rows[2].line, 3 + breaks);
}

TEST(CsvReader, RecordLimitIsExact) {
    for (const size_t chunk : {size_t{1}, size_t{3}, size_t{1} << 30}) {
        // 10 bytes of record text is at the limit; 11 is over it, whether or not it is buffered.
        const auto rows = read_all("1234,67890\n1234,678901\r\nok\n", ',', chunk, 10);
        ASSERT_EQ(rows.size(), 3u) << chunk;
        EXPECT_FALSE(rows[0].malformed) << chunk;
        EXPECT_TRUE(rows[1].malformed) << chunk;
        EXPECT_EQ(rows[1].error, "record longer than 10 bytes") << chunk;
        EXPECT_EQ(rows[1].line, 2u);
        EXPECT_EQ(rows[2].fields, (Fields{"ok"})) << chunk;
        EXPECT_EQ(rows[2].line, 3u) << chunk;
    }
}

TEST(CsvReader, OversizedRecordWithBareCrAndLongInput) {
    std::string data = std::string(200000, 'y') + "\r" + "next\r";
    const auto rows = read_all(data, ',', 1 << 30, 1000);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_TRUE(rows[0].malformed);
    EXPECT_EQ(rows[1].fields, (Fields{"next"}));
    EXPECT_EQ(rows[1].line, 2u);
}

TEST(CsvReader, SameResultForEveryReadSize) {
    const std::string data =
        "\xEF\xBB\xBFh1,h2,h3\r\n"
        "  a , \"b,\"\"c\"\"\" ,\r\n"
        "\n"
        "\"multi\r\nline\",\"\",x\r"
        "bad\"quote,1,2\n"
        "\"after\"x,1,2\n"
        "caf\xC3\xA9,\xE2\x82\xAC,\xF0\x9F\x98\x80\r\n"
        "\xC3,1,2\n"
        "\"tail\",\"open";
    const auto expected = read_all(data);
    ASSERT_EQ(expected.size(), 8u);
    EXPECT_EQ(expected[1].fields, (Fields{"a", "<b,\"c\">", "~"}));
    EXPECT_EQ(expected[2].fields, (Fields{"<multi\r\nline>", "<>", "x"}));
    EXPECT_EQ(expected[2].line, 4u);
    EXPECT_EQ(expected[3].line, 6u);
    EXPECT_EQ(expected[7].line, 10u);
    EXPECT_TRUE(expected[7].malformed);
    for (size_t chunk = 1; chunk <= 19; ++chunk) {
        const auto rows = read_all(data, ',', chunk);
        ASSERT_EQ(rows.size(), expected.size()) << chunk;
        for (size_t i = 0; i < rows.size(); ++i) {
            EXPECT_EQ(rows[i].line, expected[i].line) << chunk << " " << i;
            EXPECT_EQ(rows[i].malformed, expected[i].malformed) << chunk << " " << i;
            EXPECT_EQ(rows[i].error, expected[i].error) << chunk << " " << i;
            EXPECT_EQ(rows[i].error_column, expected[i].error_column) << chunk << " " << i;
            if (!expected[i].malformed) {
                EXPECT_EQ(rows[i].fields, expected[i].fields) << chunk;
            }
        }
    }
}

// Random documents from the bytes that matter to the parser: the result must not depend on
// where the reads split the input, including inside a CRLF, a "" or a multi-byte character.
TEST(CsvReader, RandomInputIndependentOfReadSize) {
    const std::vector<std::string> pieces = {"a",    "bc",       ",",    ",",           "\"",
                                             "\"\"", "\r",       "\n",   "\r\n",        " ",
                                             "\t",   "\xC3\xA9", "\xC3", "\xEF\xBB\xBF"};
    std::mt19937 random(20261129);
    for (int doc = 0; doc < 300; ++doc) {
        std::string data;
        const size_t length = random() % 60;
        for (size_t i = 0; i < length; ++i) data += pieces[random() % pieces.size()];
        const auto expected = read_all(data, ',', 1 << 30, 16);
        for (const size_t chunk : {size_t{1}, size_t{2}, size_t{5}}) {
            const auto rows = read_all(data, ',', chunk, 16);
            ASSERT_EQ(rows.size(), expected.size()) << doc << " " << chunk;
            for (size_t i = 0; i < rows.size(); ++i) {
                EXPECT_EQ(rows[i].line, expected[i].line) << doc << " " << chunk;
                EXPECT_EQ(rows[i].malformed, expected[i].malformed) << doc << " " << chunk;
                EXPECT_EQ(rows[i].error, expected[i].error) << doc << " " << chunk;
                if (!expected[i].malformed) {  // a malformed record's fields are unreliable
                    EXPECT_EQ(rows[i].fields, expected[i].fields) << doc << " " << chunk;
                }
            }
        }
    }
}

TEST(CsvReader, ManyRecordsAcrossBufferBoundaries) {
    std::string data;
    for (int i = 0; i < 20000; ++i)
        data += std::to_string(i) + ",\"q " + std::to_string(i) + "\"\n";
    CsvReader reader(string_source(data, 7000), ',');
    CsvRecord record;
    int count = 0;
    while (reader.next(record)) {
        ASSERT_EQ(record.fields.size(), 2u);
        ASSERT_EQ(record.fields[0].text, std::to_string(count));
        ASSERT_EQ(record.fields[1].text, "q " + std::to_string(count));
        ASSERT_EQ(record.line, static_cast<uint64_t>(count) + 1);
        ++count;
    }
    EXPECT_EQ(count, 20000);
    EXPECT_EQ(reader.bytes_read(), data.size());
}

TEST(CsvReader, SourceErrorsPropagate) {
    CsvReader reader([](char*, size_t) -> size_t { throw std::runtime_error("disk gone"); }, ',');
    CsvRecord record;
    EXPECT_THROW(reader.next(record), std::runtime_error);
}

TEST(Utf8, Validation) {
    EXPECT_TRUE(valid_utf8(""));
    EXPECT_TRUE(valid_utf8("plain ascii text, long enough for the fast path"));
    EXPECT_TRUE(valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF"));
    EXPECT_FALSE(valid_utf8("\xC3"));              // truncated
    EXPECT_FALSE(valid_utf8("abcdefgh\xE2\x82"));  // truncated after the fast path
    EXPECT_FALSE(valid_utf8("\x80"));              // lone continuation byte
    EXPECT_FALSE(valid_utf8("\xC0\xAF"));          // overlong '/'
    EXPECT_FALSE(valid_utf8("\xE0\x80\xAF"));      // overlong
    EXPECT_FALSE(valid_utf8("\xF0\x80\x80\xAF"));  // overlong
    EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
    EXPECT_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    EXPECT_FALSE(valid_utf8("\xF5\x80\x80\x80"));
    EXPECT_FALSE(valid_utf8("\xFF"));
    EXPECT_FALSE(valid_utf8("\xE2\x28\xA1"));  // bad continuation
}

TEST(Utf8, LengthInCodePoints) {
    EXPECT_EQ(utf8_length(""), 0u);
    EXPECT_EQ(utf8_length("abc"), 3u);
    EXPECT_EQ(utf8_length("caf\xC3\xA9"), 4u);
    EXPECT_EQ(utf8_length("\xE2\x82\xAC\xF0\x9F\x98\x80"), 2u);
}

}  // namespace
}  // namespace sightline::core
