// The control connection's line reader and command splitting.
#include <gtest/gtest.h>

#include <string>

#include "command.hpp"

namespace sightline::intake_ftps {
namespace {

using Status = LineReader::Status;

std::string next_line(LineReader& reader, Status expected = Status::line) {
    std::string line;
    EXPECT_EQ(reader.next(line), expected);
    return line;
}

TEST(LineReader, SplitsOnCrLfAndLf) {
    LineReader reader;
    const std::string input = "USER a\r\nNOOP\nPWD\r\n";
    reader.feed(input.data(), input.size());
    EXPECT_EQ(next_line(reader), "USER a");
    EXPECT_EQ(next_line(reader), "NOOP");
    EXPECT_EQ(next_line(reader), "PWD");
    next_line(reader, Status::none);
    EXPECT_EQ(reader.pending(), 0u);
}

TEST(LineReader, WaitsForTheLineEndAcrossFeeds) {
    LineReader reader;
    reader.feed("NO", 2);
    next_line(reader, Status::none);
    reader.feed("OP\r\n", 4);
    EXPECT_EQ(next_line(reader), "NOOP");
}

TEST(LineReader, PendingCountsPipelinedBytes) {
    LineReader reader;
    const std::string input = "AUTH TLS\r\nUSER x\r\n";
    reader.feed(input.data(), input.size());
    EXPECT_EQ(next_line(reader), "AUTH TLS");
    EXPECT_GT(reader.pending(), 0u);
}

TEST(LineReader, StripsTelnetIac) {
    LineReader reader;
    // IAC IP, IAC DM, IAC WILL <opt>, IAC IAC (a literal 0xFF).
    const std::string input = "NO\xff\xf4\xff\xf2OP\xff\xfb\x01 a\xff\xff\r\n";
    reader.feed(input.data(), input.size());
    EXPECT_EQ(next_line(reader), "NOOP a\xff");
}

TEST(LineReader, IacSequenceSplitAcrossFeeds) {
    LineReader reader;
    reader.feed("NO\xff", 3);
    reader.feed("\xfd", 1);
    reader.feed("\x05OP\n", 4);
    EXPECT_EQ(next_line(reader), "NOOP");
}

TEST(LineReader, BareCrIsNotASeparator) {
    LineReader reader;
    const std::string input = "SIZE a\rDELE b\r\nNOOP\r\n";
    reader.feed(input.data(), input.size());
    next_line(reader, Status::bad);
    EXPECT_EQ(next_line(reader), "NOOP");
}

TEST(LineReader, NulIsRefused) {
    LineReader reader;
    const std::string input("STOR a\0b\r\nNOOP\r\n", 16);
    reader.feed(input.data(), input.size());
    next_line(reader, Status::bad);
    EXPECT_EQ(next_line(reader), "NOOP");
}

TEST(LineReader, LongLineRefusedAndDiscardedToItsEnd) {
    LineReader reader;
    const std::string exact(kMaxCommandBytes, 'a');
    reader.feed(exact.data(), exact.size());
    reader.feed("\r\n", 2);
    EXPECT_EQ(next_line(reader), exact);

    const std::string long_line(10240, 'x');
    // Arrives in pieces without a line end: refused once, the rest dropped until LF.
    reader.feed(long_line.data(), 4000);
    next_line(reader, Status::too_long);
    reader.feed(long_line.data() + 4000, 6240);
    next_line(reader, Status::none);
    reader.feed("\r\nNOOP\r\n", 8);
    EXPECT_EQ(next_line(reader), "NOOP");
}

TEST(LineReader, LongLineInOnePiece) {
    LineReader reader;
    const std::string input = std::string(kMaxCommandBytes + 1, 'x') + "\r\nPWD\r\n";
    reader.feed(input.data(), input.size());
    next_line(reader, Status::too_long);
    EXPECT_EQ(next_line(reader), "PWD");
}

TEST(ParseCommand, VerbIsUpperCasedArgumentKeptVerbatim) {
    Command c;
    ASSERT_TRUE(parse_command("stor My File.csv", c));
    EXPECT_EQ(c.verb, "STOR");
    EXPECT_EQ(c.arg, "My File.csv");
    ASSERT_TRUE(parse_command("PWD", c));
    EXPECT_EQ(c.arg, "");
    EXPECT_FALSE(parse_command("", c));
    EXPECT_FALSE(parse_command("ST0R x", c));
    EXPECT_FALSE(parse_command("TOOLONG x", c));
    EXPECT_FALSE(parse_command(" STOR x", c));
}

}  // namespace
}  // namespace sightline::intake_ftps
