// Text forms of values for the PostgreSQL family's parameters (sent as text, cast in the SQL),
// and identifier quoting. Nothing here is ever spliced into SQL except quote_identifier(), whose
// argument is a custom column name the store itself listed.
#pragma once

#include <cstdint>
#include <string>

namespace sightline::evaluator_sql {

// Instants passed to PostgreSQL are clamped to this range first: wider than any stored sales
// timestamp (years 0000..9999 with an offset), narrower than timestamptz's range, so comparisons
// with stored values keep their result while the text always parses.
constexpr int64_t kPgMinInstantUs = -100'000'000'000'000'000;   // about 1200 BC
constexpr int64_t kPgMaxInstantUs = 1'000'000'000'000'000'000;  // about AD 33658

// "2026-01-31 12:00:00.000000+00" (UTC, always six fractional digits; years before AD 1 as
// "0001-... BC" the way PostgreSQL reads them). Clamped to [kPgMinInstantUs, kPgMaxInstantUs].
std::string pg_timestamptz_text(int64_t us);

// Exact decimal text of a count of millionths: "-12.345600" (always six fractional digits).
std::string decimal_text(int64_t millionths);

// "name" with any double quote doubled.
std::string quote_identifier(const std::string& name);

// Number of Unicode code points of UTF-8 text (continuation bytes not counted).
int64_t code_points(const std::string& utf8);

}  // namespace sightline::evaluator_sql
