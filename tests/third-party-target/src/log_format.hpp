// The text format of a tenant's log file: one record a line, fields separated by tabs.
//
//   I  incarnation                              first line of every file
//   C  sales|catalog  name  type                a custom column, in order of first appearance
//   L  file_id order ts customer item price quantity custom...   a sales line
//   R                                           the catalog is replaced from here on
//   X  item category title brand custom...      a catalog item
//   F  id kind mode result at_us rows bytes sha256 name detail   a recorded file
//   D  id scope reason operator at_us lines orders customers revenue   a deletion
//   .                                           commit: the records since the last '.' apply
//
// Records after the last '.' belong to a write that did not finish (a crash, a rolled-back load)
// and are ignored; the next writer truncates them away. Integers are decimal text; a missing
// value is "\N"; text escapes backslash, tab and newline.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sightline::target_thirdparty {

// Appends one escaped field (with its leading tab unless it is the first of the record).
void put_field(std::string& out, std::string_view text, bool first = false);
void put_missing(std::string& out);
void put_int(std::string& out, long long value);
void put_uint(std::string& out, unsigned long long value);

// Splits one record (no trailing newline) into its unescaped fields; missing values come back as
// nullptr entries in `missing` (same size as the result).
std::vector<std::string> split_record(std::string_view line, std::vector<bool>& missing);

}  // namespace sightline::target_thirdparty
