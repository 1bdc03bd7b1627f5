#include "sightline/core/file_format.hpp"

#include <iterator>
#include <limits>

#include "sightline/core/decimal.hpp"
#include "sightline/core/pii_guard.hpp"
#include "sightline/core/timestamp.hpp"
#include "sightline/core/utf8.hpp"

namespace sightline::core {

using plugin::FileKind;
using plugin::Value;
using plugin::ValueType;

namespace {

constexpr size_t max_custom_columns = 20;
constexpr size_t max_custom_name = 48;
constexpr size_t max_custom_string = 256;
constexpr int64_t default_quantity = 1000000;  // 1 in millionths

struct FixedColumn {
    const char* name;
    ValueType type;
    bool required;
    size_t min_chars, max_chars;
};

// The fixed leading columns of each kind, in plugin::data.hpp's order. The catalog's title,
// brand and category have no length limit of their own in the format (only the record limit).
constexpr FixedColumn sales_columns[] = {
    {"order", ValueType::string, true, 1, 64},   {"timestamp", ValueType::timestamp, true, 0, 0},
    {"customer", ValueType::uint64, true, 0, 0}, {"item", ValueType::string, true, 1, 128},
    {"price", ValueType::decimal, true, 0, 0},   {"quantity", ValueType::decimal, false, 0, 0}};
constexpr FixedColumn catalog_columns[] = {{"item", ValueType::string, true, 1, 128},
                                           {"category", ValueType::string, true, 0, 0},
                                           {"title", ValueType::string, false, 0, 0},
                                           {"brand", ValueType::string, false, 0, 0}};

static_assert(std::size(sales_columns) == plugin::sales_fixed_columns);
static_assert(std::size(catalog_columns) == plugin::catalog_fixed_columns);

struct FixedList {
    const FixedColumn* first;
    const FixedColumn* last;
    const FixedColumn* begin() const { return first; }
    const FixedColumn* end() const { return last; }
};

FixedList fixed_columns(FileKind kind) {
    if (kind == FileKind::sales) return {std::begin(sales_columns), std::end(sales_columns)};
    return {std::begin(catalog_columns), std::end(catalog_columns)};
}

const FixedColumn* find_fixed(FileKind kind, std::string_view name) {
    for (const FixedColumn& column : fixed_columns(kind)) {
        if (name == column.name) return &column;
    }
    return nullptr;
}

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

// The type a custom column's prefix gives it; false when the name has no such prefix.
bool custom_type(std::string_view name, ValueType& type) {
    if (name.size() < 2 || name[1] != '_') return false;
    switch (name[0]) {
        case 's':
            type = ValueType::string;
            return true;
        case 'i':
            type = ValueType::int64;
            return true;
        case 'f':
            type = ValueType::decimal;
            return true;
        case 'd':
            type = ValueType::timestamp;
            return true;
        default:
            return false;
    }
}

// The name after the prefix: [a-z0-9_]{1,48}.
bool valid_custom_rest(std::string_view rest) {
    if (rest.empty() || rest.size() > max_custom_name) return false;
    for (const char c : rest) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    return true;
}

bool valid_custom_name(FileKind kind, std::string_view name) {
    ValueType type;
    if (!custom_type(name, type)) return false;
    if (kind == FileKind::catalog && type != ValueType::string) return false;
    return valid_custom_rest(name.substr(2));
}

// The column the user probably meant when a name differs from a valid one only in case.
std::string case_hint(FileKind kind, std::string_view name) {
    const std::string lower = ascii_lower(name);
    if (lower == name) return "";
    if (find_fixed(kind, lower) || valid_custom_name(kind, lower)) {
        return ": column names are case-sensitive, did you mean " + quoted(lower) + "?";
    }
    return "";
}

// Why a name is neither a fixed column of the kind nor a custom column, with the likeliest fix.
std::string unknown_column_reason(FileKind kind, std::string_view name) {
    const std::string reason = "unknown column " + quoted(name);
    const std::string hint = case_hint(kind, name);
    if (!hint.empty()) return reason + hint;
    const char* why = nullptr;
    ValueType type;
    if (kind == FileKind::sales) {
        why = find_fixed(FileKind::catalog, name)
                  ? "it is a catalog column, and catalog files have names starting with 'catalog'"
                  : "expected order, timestamp, customer, item, price, quantity, or a custom "
                    "column s_, i_, f_ or d_ followed by a name";
    } else if (custom_type(name, type)) {
        why = "catalog files take only s_ custom columns";
    } else if (find_fixed(FileKind::sales, name)) {
        why = "it is a sales column, and this file is a catalog (its name starts with 'catalog')";
    } else {
        why = "expected item, category, title, brand, or a custom column s_ followed by a name";
    }
    return reason + ": " + why;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Digits only, no sign and no spaces: an id, not an amount. Leading zeros are accepted.
bool parse_uint64(std::string_view text, uint64_t& value, std::string& reason) {
    value = 0;
    for (const char c : text) {
        if (!is_digit(c)) {
            reason = "not an unsigned integer (digits 0-9 only)";
            return false;
        }
    }
    constexpr uint64_t max = std::numeric_limits<uint64_t>::max();
    for (const char c : text) {
        const auto digit = static_cast<uint64_t>(c - '0');
        if (value > (max - digit) / 10) {
            reason = "larger than 18446744073709551615";
            return false;
        }
        value = value * 10 + digit;
    }
    return true;
}

// Optional sign ('+' accepted, as for decimals), then digits.
bool parse_int64(std::string_view text, int64_t& value, std::string& reason) {
    const bool negative = !text.empty() && text[0] == '-';
    if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
    uint64_t magnitude = 0;
    if (text.empty() || !parse_uint64(text, magnitude, reason)) {
        reason = "not an integer";
        return false;
    }
    const uint64_t limit = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + negative;
    if (magnitude > limit) {
        reason = "outside the signed 64-bit range";
        return false;
    }
    value = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
    return true;
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
    return text;
}

// "Shoes > Running | Sale" -> "Shoes>Running|Sale". An empty path or level is an error: it would
// silently become a category nobody chose.
bool canonical_category(std::string_view text, std::string& out, std::string& reason) {
    out.clear();
    size_t path_begin = 0;
    for (;;) {
        const size_t path_end = std::min(text.find('|', path_begin), text.size());
        const std::string_view path = text.substr(path_begin, path_end - path_begin);
        if (trim(path).empty()) {
            reason = "empty category path (around '|')";
            return false;
        }
        if (path_begin != 0) out.push_back('|');
        size_t level_begin = 0;
        for (;;) {
            const size_t level_end = std::min(path.find('>', level_begin), path.size());
            const std::string_view level = trim(path.substr(level_begin, level_end - level_begin));
            if (level.empty()) {
                reason = "empty category level (around '>')";
                return false;
            }
            if (level_begin != 0) out.push_back('>');
            out.append(level);
            if (level_end == path.size()) break;
            level_begin = level_end + 1;
        }
        if (path_end == text.size()) return true;
        path_begin = path_end + 1;
    }
}

}  // namespace

FileKind file_kind_from_name(std::string_view file_name) {
    // Tolerate a path: the rule is about the file's own name.
    const size_t slash = file_name.find_last_of('/');
    if (slash != std::string_view::npos) file_name.remove_prefix(slash + 1);
    return file_name.substr(0, 7) == "catalog" ? FileKind::catalog : FileKind::sales;
}

FileFormat::FileFormat(FileKind kind, const CsvRecord& header, const FormatOptions& options,
                       std::vector<FormatError>& errors)
    : kind_(kind), options_(options) {
    for (const FixedColumn& fixed : fixed_columns(kind)) {
        Rule rule;
        rule.required = fixed.required;
        rule.min_chars = fixed.min_chars;
        rule.max_chars = fixed.max_chars;
        rule.category = kind == FileKind::catalog && std::string_view(fixed.name) == "category";
        rule.quantity = kind == FileKind::sales && std::string_view(fixed.name) == "quantity";
        add_column(fixed.name, fixed.type, rule, -1);
    }
    if (header.malformed) {
        errors.push_back({header.line, header.error_column, "", "header: " + header.error});
        return;
    }
    header_width_ = header.fields.size();
    size_t custom_count = 0;
    std::unordered_map<std::string_view, size_t> seen;  // name -> 1-based column
    for (size_t i = 0; i < header.fields.size(); ++i) {
        column_names_in_file_.emplace_back(header.fields[i].text);
        check_column_name(header, i, custom_count, seen, errors);
    }
    for (size_t c = 0; c < columns_.size(); ++c) {
        if (rules_[c].required && source_of_[c] < 0) {
            errors.push_back({header.line, 0, columns_[c].name,
                              "missing required column " + quoted(columns_[c].name)});
        }
    }
}

void FileFormat::add_column(std::string name, ValueType type, const Rule& rule, int source) {
    columns_.push_back({std::move(name), type});
    rules_.push_back(rule);
    source_of_.push_back(source);
}

// Classifies header field `index`: a fixed column, a custom one, or an error.
void FileFormat::check_column_name(const CsvRecord& header, size_t index, size_t& custom_count,
                                   std::unordered_map<std::string_view, size_t>& seen,
                                   std::vector<FormatError>& errors) {
    const std::string_view name = header.fields[index].text;
    const auto fail = [&](std::string reason, bool personal_data = false) {
        errors.push_back(
            {header.line, index + 1, std::string(name), std::move(reason), personal_data});
    };
    if (name.empty()) return fail("empty column name");
    // A hash map, not a scan of the previous names: a header may be up to a record long.
    const auto [previous, inserted] = seen.emplace(name, index + 1);
    if (!inserted) {
        return fail("duplicate column " + quoted(name) + " (also column " +
                    std::to_string(previous->second) + ")");
    }
    if (const FixedColumn* fixed = find_fixed(kind_, name)) {
        source_of_[static_cast<size_t>(fixed - fixed_columns(kind_).begin())] =
            static_cast<int>(index);
        return;
    }
    // The guard applies to every column name, including those refused for other reasons: a file
    // with an "email" column is deleted, not archived.
    const std::optional<std::string> pii = pii_column_reason(name);
    const bool personal = pii && !options_.allow_pii;
    const std::string pii_note = personal ? " (and it looks like personal data: " + *pii + ")" : "";

    ValueType type;
    if (!custom_type(name, type) || (kind_ == FileKind::catalog && type != ValueType::string)) {
        return fail(unknown_column_reason(kind_, name) + pii_note, personal);
    }
    if (!valid_custom_rest(name.substr(2))) {
        std::string hint = case_hint(kind_, name);
        if (hint.empty()) hint = ": after the prefix, use 1 to 48 characters of a-z, 0-9 and _";
        return fail("invalid custom column name " + quoted(name) + hint + pii_note, personal);
    }
    if (++custom_count == max_custom_columns + 1) {
        fail("more than 20 custom columns in one file");
    }
    if (personal) fail("column name looks like personal data: " + *pii, true);
    Rule rule;
    rule.max_chars = type == ValueType::string ? max_custom_string : 0;
    add_column(std::string(name), type, rule, static_cast<int>(index));
}

bool FileFormat::convert(const CsvRecord& record, Value* out, std::vector<FormatError>& errors) {
    if (record.malformed) {
        const size_t column = record.error_column;
        const std::string name = column >= 1 && column <= column_names_in_file_.size()
                                     ? column_names_in_file_[column - 1]
                                     : std::string();
        errors.push_back({record.line, column, name, record.error});
        return false;
    }
    if (record.fields.size() != header_width_) {
        errors.push_back({record.line, 0, "",
                          "expected " + std::to_string(header_width_) + " fields, found " +
                              std::to_string(record.fields.size())});
        return false;
    }
    bool ok = true;
    for (size_t c = 0; c < columns_.size(); ++c) {
        out[c] = Value{};
        const int source = source_of_[c];
        if (source < 0) {
            if (rules_[c].quantity) {
                out[c].present = true;
                out[c].i = default_quantity;
            }
            continue;
        }
        ok = convert_cell(c, record.fields[static_cast<size_t>(source)], record.line, out[c],
                          errors) &&
             ok;
    }
    // Catalog: column 0 is the item. Recorded even when other cells fail, so that every
    // duplicate is reported against its first line.
    if (kind_ == FileKind::catalog && out[0].present && source_of_[0] >= 0) {
        const auto [it, inserted] = catalog_items_.emplace(std::string(out[0].s), record.line);
        if (!inserted) {
            errors.push_back({record.line, static_cast<size_t>(source_of_[0]) + 1, columns_[0].name,
                              "item " + quoted(out[0].s) + " listed twice (first on line " +
                                  std::to_string(it->second) + ")"});
            ok = false;
        }
    }
    return ok;
}

bool FileFormat::convert_cell(size_t column, const CsvField& field, uint64_t line, Value& value,
                              std::vector<FormatError>& errors) {
    const Rule& rule = rules_[column];
    const ValueType type = columns_[column].type;
    const size_t file_column = static_cast<size_t>(source_of_[column]) + 1;
    const auto fail = [&](std::string reason, bool personal_data = false) {
        errors.push_back(
            {line, file_column, columns_[column].name, std::move(reason), personal_data});
        return false;
    };
    // Empty: a quoted "" is an empty string, but for a number or a date it is no value at all.
    if (field.missing() || (type != ValueType::string && field.text.empty())) {
        if (rule.required) return fail("missing value in a required column");
        if (rule.quantity) {
            value.present = true;
            value.i = default_quantity;
        }
        return true;
    }
    // The guard looks at every cell, not only at strings: an email where a number belongs (a
    // customer column of addresses) is personal data too, and the refused file must be deleted
    // rather than archived.
    if (!options_.allow_pii && contains_email(field.text)) {
        return fail("looks like an email address: personal data is not accepted", true);
    }
    std::string reason;
    bool ok = false;
    switch (type) {
        case ValueType::string:
            ok = convert_string(column, field.text, value, reason);
            break;
        case ValueType::uint64:
            ok = parse_uint64(field.text, value.u, reason);
            break;
        case ValueType::int64:
            ok = parse_int64(field.text, value.i, reason);
            break;
        case ValueType::decimal: {
            const std::optional<int64_t> parsed = parse_decimal(field.text, reason);
            ok = parsed.has_value();
            value.i = parsed.value_or(0);
            break;
        }
        case ValueType::timestamp: {
            const std::optional<int64_t> parsed = parse_timestamp(field.text, reason);
            ok = parsed.has_value();
            value.i = parsed.value_or(0);
            break;
        }
    }
    if (!ok) {
        value = Value{};
        return fail(std::move(reason));
    }
    value.present = true;
    return true;
}

// Strings: the column's length in code points, and the catalog category's canonical form.
bool FileFormat::convert_string(size_t column, std::string_view text, Value& value,
                                std::string& reason) {
    const Rule& rule = rules_[column];
    const size_t length = utf8_length(text);
    if (length < rule.min_chars || (rule.max_chars != 0 && length > rule.max_chars)) {
        reason = rule.min_chars > 0
                     ? "must be " + std::to_string(rule.min_chars) + " to " +
                           std::to_string(rule.max_chars) + " characters"
                     : "must be at most " + std::to_string(rule.max_chars) + " characters";
        reason += " (found " + std::to_string(length) + ")";
        return false;
    }
    if (rule.category) {
        if (!canonical_category(text, category_scratch_, reason)) return false;
        text = category_scratch_;
    }
    value.s = text;
    return true;
}

}  // namespace sightline::core
