#include "sightline/core/csv_reader.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "sightline/core/utf8.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sightline::core {

namespace {

constexpr size_t read_size = 64 * 1024;

const char* const unterminated = "unterminated quoted field (missing closing quote)";
const char* const stray_quote =
    "quote inside an unquoted field (quote the whole field and double the inner quote)";
const char* const after_quote = "text after the closing quote of a quoted field";

// Line breaks in data that does not end a record: LF, CRLF (once) and a lone CR all count,
// the same way they do outside quotes, so that `line` stays the physical line an editor shows.
uint64_t count_breaks(const char* p, const char* end) {
    uint64_t n = static_cast<uint64_t>(std::count(p, end, '\n'));
    for (const char* cr = p; (cr = static_cast<const char*>(std::memchr(cr, '\r', end - cr)));) {
        if (cr + 1 == end || cr[1] != '\n') ++n;
        ++cr;
    }
    return n;
}

std::string limit_message(size_t max_record) {
    if (max_record >= (1u << 20) && max_record % (1u << 20) == 0) {
        return "record longer than " + std::to_string(max_record >> 20) + " MiB";
    }
    return "record longer than " + std::to_string(max_record) + " bytes";
}

}  // namespace

CsvReader::CsvReader(ByteSource source, char delimiter, size_t max_record_bytes)
    : source_(std::move(source)), delimiter_(delimiter), max_record_(max_record_bytes) {
    if (delimiter == '"' || delimiter == '\r' || delimiter == '\n' || delimiter == ' ') {
        throw std::invalid_argument("CSV delimiter cannot be a quote, a space or a line end");
    }
    for (const char c : {delimiter, '"', '\r', '\n'}) stop_[static_cast<unsigned char>(c)] = true;
    // Trim spaces and tabs, except a tab that is the delimiter (it separates empty values).
    for (const char c : {' ', '\t'}) blank_[static_cast<unsigned char>(c)] = c != delimiter;
    buffer_.resize(2 * read_size);
}

// Moves the unconsumed bytes to the front and appends one read. False at the end of input.
bool CsvReader::fill() {
    if (eof_) return false;
    if (pos_ > 0) {
        std::memmove(buffer_.data(), buffer_.data() + pos_, end_ - pos_);
        end_ -= pos_;
        pos_ = 0;
    }
    // Grows only while a record is longer than the buffer: bounded by the longest record.
    if (buffer_.size() - end_ < read_size)
        buffer_.resize(std::max(buffer_.size() * 2, end_ + read_size));
    const size_t n = source_(buffer_.data() + end_, read_size);
    if (n == 0) {
        eof_ = true;
        return false;
    }
    end_ += n;
    bytes_read_ += n;
    return true;
}

void CsvReader::start() {
    started_ = true;
    while (end_ - pos_ < 3 && fill()) {
    }
    if (end_ - pos_ >= 3 && std::memcmp(buffer_.data() + pos_, "\xEF\xBB\xBF", 3) == 0) pos_ += 3;
}

bool CsvReader::next(CsvRecord& record) {
    if (!started_) start();
    for (;;) {
        if (pos_ == end_ && !fill()) return false;
        const Step step = parse(record);
        if (step == Step::record) return true;
        if (step == Step::need_more) {
            // The record is incomplete; its text so far (less a CR that may start a CRLF) is
            // already over the limit: refuse it without holding it.
            if (end_ - pos_ - 1 > max_record_) {
                skip_oversized(record);
                return true;
            }
            fill();  // at the end of input, parse() completes the record with eof_ set
        }
    }
}

// The first delimiter, quote, CR or LF in [p, end), or end: the hot loop of the reader, sixteen
// bytes at a time where SSE2 is available (every x86-64).
const char* CsvReader::scan_unquoted(const char* p, const char* end) const {
#if defined(__SSE2__)
    const __m128i delimiter = _mm_set1_epi8(delimiter_);
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i cr = _mm_set1_epi8('\r');
    const __m128i lf = _mm_set1_epi8('\n');
    for (; end - p >= 16; p += 16) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        const __m128i hits = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(bytes, delimiter), _mm_cmpeq_epi8(bytes, quote)),
            _mm_or_si128(_mm_cmpeq_epi8(bytes, cr), _mm_cmpeq_epi8(bytes, lf)));
        const int mask = _mm_movemask_epi8(hits);
        if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    }
#endif
    while (p < end && !stop_[static_cast<unsigned char>(*p)]) ++p;
    return p;
}

// Parses one record from buffer_[pos_, end_). Restarts from the record's first byte when it
// needs more input (Step::need_more): records are short, so the rescan costs little and keeps the
// parser free of resumable state. Fields go into spans_; record gets them in finish().
CsvReader::Step CsvReader::parse(CsvRecord& record) {
    const char* const begin = buffer_.data() + pos_;
    const char* const end = buffer_.data() + end_;
    const char* p = begin;
    spans_.clear();
    scratch_.clear();
    uint64_t breaks = 0;
    // The first problem wins; after it, parsing goes on leniently to find the record's end.
    const char* error = nullptr;
    size_t error_column = 0;
    const auto fail = [&](const char* why) {
        if (!error) {
            error = why;
            error_column = spans_.size() + 1;
        }
    };
    const auto scan = [&](const char* q) { return scan_unquoted(q, end); };

    for (;;) {
        while (p < end && blank(*p)) ++p;
        if (p == end && !eof_) return Step::need_more;
        if (p < end && *p == '"') {
            const size_t start = scratch_.size();
            for (++p;;) {
                const auto* q = static_cast<const char*>(std::memchr(p, '"', end - p));
                if (!q && !eof_) return Step::need_more;
                const char* stop = q ? q : end;
                scratch_.append(p, stop);
                breaks += count_breaks(p, stop);
                if (!q) {  // end of input inside the quotes
                    fail(unterminated);
                    p = end;
                    break;
                }
                if (q + 1 == end && !eof_) return Step::need_more;  // "" or a closing quote?
                if (q + 1 < end && q[1] == '"') {
                    scratch_.push_back('"');
                    p = q + 2;
                    continue;
                }
                p = q + 1;
                break;
            }
            while (p < end && blank(*p)) ++p;
            if (p < end && *p != delimiter_ && *p != '\n' && *p != '\r') {
                fail(after_quote);
                while ((p = scan(p)) < end && *p == '"') ++p;  // skip to the field's end
            }
            if (p == end && !eof_) return Step::need_more;
            spans_.emplace_back(start, scratch_.size() - start, true);
        } else {
            const char* const start = p;
            while ((p = scan(p)) < end && *p == '"') {
                fail(stray_quote);
                ++p;
            }
            if (p == end && !eof_) return Step::need_more;
            const char* stop = p;
            while (stop > start && blank(stop[-1])) --stop;
            spans_.emplace_back(static_cast<size_t>(start - begin),
                                static_cast<size_t>(stop - start), false);
        }
        if (p < end && *p == delimiter_) {
            ++p;
            continue;
        }
        break;
    }

    // p is at the line end, or at the end of input.
    const size_t raw_length = static_cast<size_t>(p - begin);
    if (p < end) {
        if (*p == '\r') {
            if (p + 1 == end && !eof_) return Step::need_more;  // CR or CRLF?
            if (p + 1 < end && p[1] == '\n') ++p;
        }
        ++p;
        ++breaks;
    }
    record.line = line_;
    line_ += breaks;
    pos_ = static_cast<size_t>(p - buffer_.data());
    if (!error && spans_.size() == 1 && !spans_[0].quoted && spans_[0].length == 0) {
        return Step::blank;  // an empty line, or one of only spaces
    }
    finish(record, begin, raw_length, error, error_column);
    return Step::record;
}

// Turns spans_ into the record's views and applies the checks on the whole record.
void CsvReader::finish(CsvRecord& record, const char* begin, size_t raw_length, const char* error,
                       size_t error_column) {
    record.fields.resize(spans_.size());
    for (size_t i = 0; i < spans_.size(); ++i) {
        const Span& span = spans_[i];
        CsvField& field = record.fields[i];
        field.text =
            std::string_view((span.quoted ? scratch_.data() : begin) + span.offset, span.length);
        field.quoted = span.quoted;
    }
    std::string message;  // owns a composed error text until it is copied into record
    if (raw_length > max_record_) {
        // The buffer happened to hold all of it; refused all the same.
        message = limit_message(max_record_);
        error = message.c_str();
        error_column = 0;
    } else if (!error && !valid_utf8(std::string_view(begin, raw_length))) {
        // Delimiters and quotes are ASCII, so the whole record is valid exactly when every field
        // is: the common case costs one pass, and only a bad record is searched field by field.
        error_column = 0;
        for (size_t i = 0; i < record.fields.size() && error_column == 0; ++i) {
            if (!valid_utf8(record.fields[i].text)) error_column = i + 1;
        }
        message = error_column ? "invalid UTF-8 in field " + std::to_string(error_column)
                               : std::string("invalid UTF-8");
        error = message.c_str();
    }
    record.malformed = error != nullptr;
    record.error_column = error ? error_column : 0;
    if (error) {
        record.error = error;
    } else {
        record.error.clear();
    }
}

// Skips a record over the size limit without holding it: a byte-at-a-time scan with the same
// quoting rules as parse() (lenient, as after any error), up to the line end outside quotes.
void CsvReader::skip_oversized(CsvRecord& record) {
    enum class State { field_start, unquoted, quoted, quote_in_quoted };
    State state = State::field_start;
    uint64_t breaks = 0;
    bool after_cr = false;  // so that CRLF counts as one line break
    bool done = false;
    while (!done && (pos_ < end_ || fill())) {
        const char c = buffer_[pos_++];
        const bool crlf = after_cr && c == '\n';
        after_cr = c == '\r';
        if (state == State::quote_in_quoted) {
            if (c == '"') {
                state = State::quoted;
                continue;
            }
            state = State::unquoted;  // the closing quote: c is outside the quotes
        }
        if (state == State::quoted) {
            if (c == '"') state = State::quote_in_quoted;
            if ((c == '\n' && !crlf) || c == '\r') ++breaks;
            continue;
        }
        if (c == '\n' || c == '\r') {
            ++breaks;
            done = true;
        } else if (c == delimiter_) {
            state = State::field_start;
        } else if (c == '"' && state == State::field_start) {
            state = State::quoted;
        } else if (!blank(c)) {
            state = State::unquoted;
        }
    }
    // A record ended by CR may continue with the LF of a CRLF.
    if (after_cr && (pos_ < end_ || fill()) && buffer_[pos_] == '\n') ++pos_;
    record.line = line_;
    line_ += breaks;
    record.fields.clear();
    record.malformed = true;
    record.error_column = 0;
    record.error = limit_message(max_record_);
}

}  // namespace sightline::core
