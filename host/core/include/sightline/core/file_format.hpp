// The sales and catalog file format v1: header rules, typed conversion of records, the
// personal-data guard on values. The one place these rules live (shared/specs/sales-data.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "sightline/core/csv_reader.hpp"
#include "sightline/plugin/data.hpp"

namespace sightline::core {

struct FormatError {
    uint64_t line = 0;  // 1-based physical line; 0 for whole-file problems
    size_t column = 0;  // 1-based column index; 0 when not about one column
    std::string column_name;
    std::string reason;
    bool personal_data = false;  // raised by the personal-data guard
};

// A file is a catalog when its name starts with "catalog" (case-sensitive).
plugin::FileKind file_kind_from_name(std::string_view file_name);

struct FormatOptions {
    bool allow_pii = false;
};

// Converts one file's records to typed values in LoadSpec column order.
class FileFormat {
public:
    // Check the header. Errors (unknown, duplicate, missing required, PII-like, too many custom
    // columns) are appended to errors; the result is usable only when none were added.
    FileFormat(plugin::FileKind kind, const CsvRecord& header, const FormatOptions& options,
               std::vector<FormatError>& errors);

    plugin::FileKind kind() const { return kind_; }
    // Fixed columns of the kind, then the file's custom columns in header order.
    const std::vector<plugin::Column>& columns() const { return columns_; }

    // Convert a record into out (columns().size() values). Returns false and appends errors
    // (wrong field count, bad values, email-looking strings) when the record is invalid.
    // String values in out point into record or into this object's scratch space: valid until
    // the next call.
    bool convert(const CsvRecord& record, plugin::Value* out, std::vector<FormatError>& errors);

private:
    // How one column's cells are checked, beyond its type.
    struct Rule {
        bool required = false;
        size_t min_chars = 0, max_chars = 0;  // strings; max 0 means no limit of its own
        bool category = false;                // catalog category: canonicalised
        bool quantity = false;                // sales quantity: 1 when absent or empty
    };

    void add_column(std::string name, plugin::ValueType type, const Rule& rule, int source);
    void check_column_name(const CsvRecord& header, size_t index, size_t& custom_count,
                           std::unordered_map<std::string_view, size_t>& seen,
                           std::vector<FormatError>& errors);
    bool convert_cell(size_t column, const CsvField& field, uint64_t line, plugin::Value& value,
                      std::vector<FormatError>& errors);
    bool convert_string(size_t column, std::string_view text, plugin::Value& value,
                        std::string& reason);

    plugin::FileKind kind_;
    FormatOptions options_;
    std::vector<plugin::Column> columns_;
    std::vector<Rule> rules_;     // parallel to columns_
    std::vector<int> source_of_;  // for each column: index in the file's fields, or -1 if absent
    size_t header_width_ = 0;
    std::vector<std::string> column_names_in_file_;
    std::string category_scratch_;
    // Catalogs only: an item listed twice is an error that names the line of the first.
    std::unordered_map<std::string, uint64_t> catalog_items_;
};

}  // namespace sightline::core
