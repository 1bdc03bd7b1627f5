#include "log_format.hpp"

namespace sightline::target_thirdparty {

void put_field(std::string& out, std::string_view text, bool first) {
    if (!first) out += '\t';
    for (char c : text) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\n':
                out += "\\n";
                break;
            default:
                out += c;
        }
    }
}

void put_missing(std::string& out) { out += "\t\\N"; }

void put_int(std::string& out, long long value) {
    out += '\t';
    out += std::to_string(value);
}

void put_uint(std::string& out, unsigned long long value) {
    out += '\t';
    out += std::to_string(value);
}

std::vector<std::string> split_record(std::string_view line, std::vector<bool>& missing) {
    std::vector<std::string> fields;
    missing.clear();
    size_t start = 0;
    for (;;) {
        const size_t tab = line.find('\t', start);
        const std::string_view raw = line.substr(
            start, tab == std::string_view::npos ? std::string_view::npos : tab - start);
        missing.push_back(raw == "\\N");
        std::string field;
        if (!missing.back()) {
            field.reserve(raw.size());
            for (size_t i = 0; i < raw.size(); ++i) {
                if (raw[i] == '\\' && i + 1 < raw.size()) {
                    const char next = raw[++i];
                    field += next == 't' ? '\t' : next == 'n' ? '\n' : next;
                } else {
                    field += raw[i];
                }
            }
        }
        fields.push_back(std::move(field));
        if (tab == std::string_view::npos) break;
        start = tab + 1;
    }
    return fields;
}

}  // namespace sightline::target_thirdparty
