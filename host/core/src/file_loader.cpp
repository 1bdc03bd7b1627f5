#include "sightline/core/file_loader.hpp"

namespace sightline::core {

void ParsedFile::add_error(FormatError e) {
    ++error_count;
    personal_data = personal_data || e.personal_data;
    if (errors.size() < max_reported_errors) errors.push_back(std::move(e));
}

ParsedFile parse_into(plugin::TenantStore& store, const TenantProfile& tenant,
                      plugin::FileKind kind, plugin::LoadMode mode, const ByteSource& source) {
    ParsedFile out;
    CsvReader reader(source, tenant.delimiter);
    CsvRecord csv;
    std::unique_ptr<FileFormat> format;
    std::vector<plugin::Value> values;
    std::vector<FormatError> record_errors;
    FormatOptions options;
    options.allow_pii = tenant.allow_pii;

    if (!reader.next(csv)) {
        out.add_error({0, 0, "", "the file is empty: a header line is required", false});
    } else if (csv.malformed) {
        out.add_error({csv.line, csv.error_column, "", csv.error, false});
    } else {
        format = std::make_unique<FileFormat>(kind, csv, options, record_errors);
        for (auto& e : record_errors) out.add_error(std::move(e));
        if (out.error_count) format.reset();  // a refused header leaves nothing to convert with
        if (out.error_count == 0) {
            plugin::LoadSpec spec;
            spec.kind = kind;
            spec.mode = mode;
            spec.columns = format->columns();
            values.resize(spec.columns.size());
            out.transaction = store.begin_load(spec);
        }
    }

    while (!out.personal_data && reader.next(csv)) {
        if (csv.malformed) {
            out.add_error({csv.line, csv.error_column, "", csv.error, false});
        } else if (format) {
            record_errors.clear();
            if (format->convert(csv, values.data(), record_errors)) {
                ++out.rows;
                if (out.transaction) out.transaction->append(values.data());
            } else {
                for (auto& e : record_errors) out.add_error(std::move(e));
            }
        }
        // Nothing of a file with an error is loaded: give the rows back to the database early.
        if (out.error_count && out.transaction) out.transaction.reset();
    }
    return out;
}

}  // namespace sightline::core
