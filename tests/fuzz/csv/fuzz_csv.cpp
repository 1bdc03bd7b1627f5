// Fuzzes an uploaded file on the path every load takes: parse_into() (CSV reader -> file format
// -> personal-data guard -> a load transaction), with a store that checks what reaches it
// instead of writing it. Then the CSV reader alone with a small record limit, so that oversized
// records and resynchronisation are reached with short inputs.
//
// The first byte chooses the options; the rest is the file:
//   bit 0     kind: sales or catalog
//   bits 1-2  delimiter: ',' ';' '\t' '|' (the ones a profile allows)
//   bit 3     allow_pii
//   bits 4-7  how many bytes the source hands out per read (1 .. whole), to move buffer edges
//
// Properties checked on every row that reaches the store (what a target plugin may rely on):
// the row has every required value; strings are valid UTF-8 within their column's limits;
// without allow_pii, no column name or string value looks like personal data; decimals are
// below 10^12; a catalog's categories are canonical. And on the result: a file with errors
// leaves no open transaction, one without errors does, and the rows counted are the rows
// appended.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "sightline/core/csv_reader.hpp"
#include "sightline/core/file_loader.hpp"
#include "sightline/core/pii_guard.hpp"
#include "sightline/core/utf8.hpp"

using namespace sightline;
using namespace sightline::core;

namespace {

constexpr int64_t decimal_limit = 1000000000000LL * 1000000LL;  // 10^12 in millionths

struct Options {
    plugin::FileKind kind;
    char delimiter;
    bool allow_pii;
    size_t chunk;
};

Options options_from(uint8_t byte) {
    static constexpr char delimiters[] = {',', ';', '\t', '|'};
    static constexpr size_t chunks[] = {
        1, 2, 3, 5, 7, 16, 64, 255, 256, 1000, 4096, 65536, SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX};
    return {byte & 1 ? plugin::FileKind::catalog : plugin::FileKind::sales,
            delimiters[(byte >> 1) & 3], (byte & 8) != 0, chunks[byte >> 4]};
}

ByteSource source_of(std::string_view bytes, size_t chunk) {
    auto position = std::make_shared<size_t>(0);
    return [bytes, chunk, position](char* buffer, size_t size) -> size_t {
        const size_t n = std::min({size, chunk, bytes.size() - *position});
        std::memcpy(buffer, bytes.data() + *position, n);
        *position += n;
        return n;
    };
}

bool canonical_category(std::string_view text) {
    if (text.empty()) return false;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '>' && text[i] != '|') continue;
        if (i == 0 || i + 1 == text.size()) return false;
        if (text[i - 1] == ' ' || text[i + 1] == ' ') return false;
        if (text[i + 1] == '>' || text[i + 1] == '|') return false;
    }
    return true;
}

class CheckingTransaction : public plugin::LoadTransaction {
public:
    CheckingTransaction(const plugin::LoadSpec& spec, const Options& options, uint64_t& rows)
        : spec_(spec), options_(options), rows_(rows) {
        const size_t fixed = spec.kind == plugin::FileKind::sales ? plugin::sales_fixed_columns
                                                                  : plugin::catalog_fixed_columns;
        FUZZ_CHECK(spec.columns.size() >= fixed && spec.columns.size() <= fixed + 20);
        for (size_t c = fixed; c < spec.columns.size(); ++c) {
            if (!options.allow_pii) FUZZ_CHECK(!pii_column_reason(spec.columns[c].name));
        }
    }

    void append(const plugin::Value* values) override {
        ++rows_;
        const bool sales = spec_.kind == plugin::FileKind::sales;
        for (size_t c = 0; c < spec_.columns.size(); ++c) {
            const plugin::Value& v = values[c];
            const bool required = sales ? c < 5 : c < 2;
            if (required) FUZZ_CHECK(v.present);
            if (sales && c == 5) FUZZ_CHECK(v.present);  // quantity defaults to 1
            if (!v.present) continue;
            switch (spec_.columns[c].type) {
                case plugin::ValueType::string: {
                    FUZZ_CHECK(valid_utf8(v.s));
                    const size_t length = utf8_length(v.s);
                    if (sales && c == 0) FUZZ_CHECK(length >= 1 && length <= 64);
                    if ((sales && c == 3) || (!sales && c == 0))
                        FUZZ_CHECK(length >= 1 && length <= 128);
                    if (c >= (sales ? plugin::sales_fixed_columns : plugin::catalog_fixed_columns))
                        FUZZ_CHECK(length <= 256);
                    if (!sales && c == 1) FUZZ_CHECK(canonical_category(v.s));
                    if (!options_.allow_pii) FUZZ_CHECK(!contains_email(v.s));
                    break;
                }
                case plugin::ValueType::decimal:
                    FUZZ_CHECK(v.i > -decimal_limit && v.i < decimal_limit);
                    break;
                default:
                    break;
            }
        }
    }
    void commit(const plugin::FileRecord&) override {}

private:
    plugin::LoadSpec spec_;
    Options options_;
    uint64_t& rows_;
};

// A store with nothing in it: parse_into() only begins a load.
class SinkStore : public plugin::TenantStore {
public:
    explicit SinkStore(const Options& options) : options_(options) {}
    uint64_t appended = 0;
    int loads = 0;

    std::unique_ptr<plugin::LoadTransaction> begin_load(const plugin::LoadSpec& spec) override {
        ++loads;
        FUZZ_CHECK(spec.kind == options_.kind);
        return std::make_unique<CheckingTransaction>(spec, options_, appended);
    }
    std::optional<plugin::FileRecord> find_loaded(const std::string&) override { return {}; }
    void record(const plugin::FileRecord&) override {}
    std::vector<plugin::FileRecord> history() override { return {}; }
    plugin::TenantStats stats() override { return {}; }
    std::vector<plugin::Column> custom_columns() override { return {}; }
    void scan_sales(const std::function<void(const plugin::Value*)>&) override {}
    void query(const std::string&, const std::vector<plugin::Value>&,
               const std::function<void(const plugin::SqlRow&)>&) override {}

private:
    Options options_;
};

void fuzz_load(std::string_view file, const Options& options) {
    TenantProfile tenant;
    tenant.id = "fuzz";
    tenant.delimiter = options.delimiter;
    tenant.allow_pii = options.allow_pii;
    SinkStore store(options);
    const ParsedFile parsed = parse_into(store, tenant, options.kind, plugin::LoadMode::incremental,
                                         source_of(file, options.chunk));
    FUZZ_CHECK(parsed.errors.size() == std::min<uint64_t>(parsed.error_count, max_reported_errors));
    FUZZ_CHECK((parsed.error_count == 0) == (parsed.transaction != nullptr));
    FUZZ_CHECK(store.loads <= 1);
    if (parsed.error_count == 0) FUZZ_CHECK(store.appended == parsed.rows);
    if (options.allow_pii) FUZZ_CHECK(!parsed.personal_data);
    for (const FormatError& e : parsed.errors) FUZZ_CHECK(!e.reason.empty());
}

// The reader alone, with a record limit short inputs can exceed.
void fuzz_reader(std::string_view file, const Options& options) {
    const size_t limit = 16 + (options.chunk % 97);
    CsvReader reader(source_of(file, options.chunk), options.delimiter, limit);
    CsvRecord record;
    uint64_t last_line = 0;
    size_t records = 0;
    while (reader.next(record)) {
        FUZZ_CHECK(record.line > last_line);
        last_line = record.line;
        FUZZ_CHECK(++records <= file.size());
        if (record.malformed) {
            FUZZ_CHECK(!record.error.empty());
            continue;
        }
        FUZZ_CHECK(!record.fields.empty());
        for (const CsvField& field : record.fields) {
            FUZZ_CHECK(valid_utf8(field.text));
            FUZZ_CHECK(field.text.size() <= limit);
        }
    }
    FUZZ_CHECK(reader.bytes_read() == file.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const Options options = options_from(data[0]);
    const std::string_view file(reinterpret_cast<const char*>(data) + 1, size - 1);
    fuzz_load(file, options);
    fuzz_reader(file, options);
    return 0;
}
