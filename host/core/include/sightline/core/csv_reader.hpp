// Streaming CSV reader: RFC 4180 with the habits of real exports (see shared/specs/sales-data.md).
// Memory is bounded by the longest record, never by the file.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace sightline::core {

// Reads up to size bytes into buffer; returns 0 at the end of input. May throw.
using ByteSource = std::function<size_t(char* buffer, size_t size)>;

struct CsvField {
    std::string_view text;  // unquoted and unescaped; unquoted values trimmed of spaces
    bool quoted = false;    // "" (quoted empty) is present; an unquoted empty value is missing
    bool missing() const { return !quoted && text.empty(); }
};

struct CsvRecord {
    uint64_t line = 0;  // physical line (1-based) where the record starts
    std::vector<CsvField> fields;
    // When the record is malformed: the 1-based field where it went wrong and why.
    // Fields are then unreliable; the reader has resynchronised at the next line end.
    bool malformed = false;
    size_t error_column = 0;
    std::string error;
};

class CsvReader {
public:
    static constexpr size_t default_max_record = 1 << 20;  // 1 MiB

    CsvReader(ByteSource source, char delimiter, size_t max_record_bytes = default_max_record);

    // The next record that is not entirely empty. Returns false at the end of input.
    // A leading UTF-8 byte-order mark is skipped. Invalid UTF-8 makes the record malformed
    // (error names the field). The views in record stay valid until the next call.
    bool next(CsvRecord& record);

    uint64_t bytes_read() const { return bytes_read_; }

private:
    enum class Step : uint8_t { record, blank, need_more };
    // Where a field's text is: in buffer_ from the record's first byte (unquoted values), or in
    // scratch_ (quoted values, unescaped).
    struct Span {
        // A constructor, so that emplace_back writes in place (an aggregate temporary costs a
        // store-forwarding stall per field in the hot loop).
        Span(size_t offset, size_t length, bool quoted)
            : offset(offset), length(length), quoted(quoted) {}
        size_t offset;
        size_t length;
        bool quoted;
    };

    bool fill();
    void start();
    Step parse(CsvRecord& record);
    void finish(CsvRecord& record, const char* begin, size_t raw_length, const char* error,
                size_t error_column);
    void skip_oversized(CsvRecord& record);
    const char* scan_unquoted(const char* p, const char* end) const;
    bool blank(char c) const { return blank_[static_cast<unsigned char>(c)]; }

    ByteSource source_;
    char delimiter_;
    size_t max_record_;
    std::vector<char> buffer_;
    size_t pos_ = 0, end_ = 0;
    bool eof_ = false, started_ = false;
    uint64_t line_ = 1;
    uint64_t bytes_read_ = 0;
    std::string scratch_;  // unescaped field text of the current record
    std::vector<Span> spans_;
    std::array<bool, 256> stop_{};   // bytes that end an unquoted value: delimiter, '"', CR, LF
    std::array<bool, 256> blank_{};  // bytes trimmed around unquoted values
};

}  // namespace sightline::core
