// Data that crosses the plugin boundary: typed values, column lists, history records.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sightline::plugin {

// Exact encodings, the same everywhere in Sightline (no binary floating point):
//  decimal   -> int64 count of millionths (the format allows 6 decimal places, |v| < 10^12)
//  timestamp -> int64 microseconds since 1970-01-01T00:00:00Z
enum class ValueType : uint8_t { string, int64, uint64, decimal, timestamp };

inline const char* to_string(ValueType t) {
    switch (t) {
        case ValueType::string:
            return "string";
        case ValueType::int64:
            return "integer";
        case ValueType::uint64:
            return "unsigned";
        case ValueType::decimal:
            return "decimal";
        case ValueType::timestamp:
            return "timestamp";
    }
    return "?";
}

struct Value {
    bool present = false;  // false: the cell was missing (unquoted empty)
    int64_t i = 0;         // int64, decimal, timestamp
    uint64_t u = 0;        // uint64
    std::string_view s;    // string; valid only during the call that receives it
};

struct Column {
    std::string name;
    ValueType type;
};

enum class FileKind : uint8_t { sales, catalog };
enum class LoadMode : uint8_t { incremental, full };

inline const char* to_string(FileKind k) { return k == FileKind::sales ? "sales" : "catalog"; }
inline const char* to_string(LoadMode m) { return m == LoadMode::full ? "full" : "incremental"; }

// What became of a file. Every file that reaches the archive has one history entry.
enum class FileResult : uint8_t { loaded, duplicate, refused };
inline const char* to_string(FileResult r) {
    switch (r) {
        case FileResult::loaded:
            return "loaded";
        case FileResult::duplicate:
            return "duplicate";
        case FileResult::refused:
            return "refused";
    }
    return "?";
}

struct FileRecord {
    std::string name;    // file name as uploaded (no folders)
    std::string sha256;  // lower-case hex of the file's bytes
    FileKind kind = FileKind::sales;
    LoadMode mode = LoadMode::incremental;
    FileResult result = FileResult::loaded;
    int64_t at_us = 0;  // when the result was decided, UTC microseconds
    uint64_t rows = 0;  // records loaded (0 unless loaded)
    uint64_t bytes = 0;
    std::string detail;  // refusal reasons or the duplicate's original name
};

// The fixed leading columns of each file kind, in this order, before custom columns
// (in the order of the file's header). Missing optional cells arrive with present=false.
//   sales:   order string, timestamp timestamp, customer uint64, item string,
//            price decimal, quantity decimal (defaults to 1 when the column is absent or empty)
//   catalog: item string, category string, title string, brand string
// A catalog's category cell arrives canonical: levels joined by '>' and paths by '|', with no
// spaces around either ("Shoes>Running|Sale").
constexpr size_t sales_fixed_columns = 6;
constexpr size_t catalog_fixed_columns = 4;

}  // namespace sightline::plugin
