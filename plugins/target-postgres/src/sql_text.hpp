// Text forms shared by the SQL this library generates and the values it reads back: quoting,
// exact decimals and timestamps. No floating point anywhere.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sightline::target_pg {

__extension__ typedef __int128 int128;

// "name" with embedded quotes doubled: every identifier the library splices is quoted.
std::string quote_identifier(std::string_view name);
// 'text' with embedded quotes doubled (standard_conforming_strings is on since PostgreSQL 9.1).
std::string quote_literal(std::string_view text);

// Shortest exact decimal text of a count of millionths: 12.5, -0.000001, 3, 0 (the form the
// sqlite target uses for revenue).
std::string format_millionths(int128 millionths);
// The same shortest form of a numeric's text as PostgreSQL prints it ("12.500000" -> "12.5",
// "-0.000000" -> "0", "" (NULL) -> "0").
std::string normalize_decimal(std::string_view numeric_text);

// Appends "[-]I.FFFFFF": the exact text of a count of millionths.
void append_millionths(std::string& out, int64_t millionths);
// Appends "YYYY-MM-DD HH:MM:SS.ffffff+00" (" BC" after it for years before 1).
void append_timestamp(std::string& out, int64_t micros);
void append_uint64(std::string& out, uint64_t value);
void append_int64(std::string& out, int64_t value);
std::string timestamp_text(int64_t micros);

// Parsers of the text PostgreSQL sends back (DateStyle ISO, TimeZone UTC). Each throws Error
// when the text is not of the expected form or the value does not fit.
int64_t parse_timestamptz(std::string_view text);         // -> µs since the epoch, UTC
int64_t parse_numeric_millionths(std::string_view text);  // exact or Error
// Integral text: int64 range, and 2^63..2^64-1 as the uint64 bit pattern (customer ids).
int64_t parse_integer_bits(std::string_view text);
uint64_t parse_uint64(std::string_view text);

// A PostgreSQL array literal of text elements: {"a","b\"c"}.
std::string text_array_literal(const std::vector<std::string>& values);
std::string uint64_array_literal(const std::vector<uint64_t>& values);

}  // namespace sightline::target_pg
