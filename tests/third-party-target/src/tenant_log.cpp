#include "tenant_log.hpp"

#include <fstream>
#include <sstream>

#include "log_format.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::target_thirdparty {

using sightline::plugin::Column;
using sightline::plugin::DeletionRecord;
using sightline::plugin::DeletionScope;
using sightline::plugin::Error;
using sightline::plugin::FileKind;
using sightline::plugin::FileResult;
using sightline::plugin::LoadMode;
using sightline::plugin::ValueType;

namespace {

ValueType parse_type(const std::string& text) {
    for (ValueType t : {ValueType::string, ValueType::int64, ValueType::uint64, ValueType::decimal,
                        ValueType::timestamp}) {
        if (text == sightline::plugin::to_string(t)) return t;
    }
    throw Error("tenant log: unknown column type '" + text + "'");
}

FileResult parse_result(const std::string& text) {
    if (text == "loaded") return FileResult::loaded;
    if (text == "duplicate") return FileResult::duplicate;
    return FileResult::refused;
}

DeletionScope parse_scope(const std::string& text) {
    if (text == "orders") return DeletionScope::orders;
    if (text == "time_range") return DeletionScope::time_range;
    return DeletionScope::customers;
}

int64_t number(const std::string& text) { return std::stoll(text); }
uint64_t unsigned_number(const std::string& text) { return std::stoull(text); }

Cell parse_cell(const std::string& text, bool missing, ValueType type) {
    Cell cell;
    if (missing) return cell;
    cell.present = true;
    if (type == ValueType::string) {
        cell.text = text;
    } else if (type == ValueType::uint64) {
        cell.number = static_cast<int64_t>(unsigned_number(text));
    } else {
        cell.number = number(text);
    }
    return cell;
}

void put_cell(std::string& out, const Cell& cell, ValueType type) {
    if (!cell.present) {
        put_missing(out);
    } else if (type == ValueType::string) {
        put_field(out, cell.text);
    } else if (type == ValueType::uint64) {
        put_uint(out, static_cast<uint64_t>(cell.number));
    } else {
        put_int(out, cell.number);
    }
}

void put_text_cell(std::string& out, const Cell& cell) { put_cell(out, cell, ValueType::string); }

std::vector<Cell> parse_cells(const std::vector<std::string>& f, const std::vector<bool>& missing,
                              size_t first, const std::vector<Column>& columns) {
    std::vector<Cell> cells;
    for (size_t c = 0; first + c < f.size() && c < columns.size(); ++c) {
        cells.push_back(parse_cell(f[first + c], missing[first + c], columns[c].type));
    }
    return cells;
}

// Applies one committed record.
void apply(TenantLog& log, const std::vector<std::string>& f, const std::vector<bool>& missing) {
    const std::string& type = f[0];
    auto need = [&](size_t n) {
        if (f.size() < n) throw Error("tenant log: a '" + type + "' record is too short");
    };
    if (type == "I") {
        need(2);
        log.incarnation = f[1];
    } else if (type == "C") {
        need(4);
        (f[1] == "catalog" ? log.catalog_columns : log.sales_columns)
            .push_back({f[2], parse_type(f[3])});
    } else if (type == "L") {
        need(8);
        SalesLine line;
        line.file_id = unsigned_number(f[1]);
        line.order = f[2];
        line.ts = number(f[3]);
        line.customer = unsigned_number(f[4]);
        line.item = f[5];
        line.price = number(f[6]);
        line.quantity = number(f[7]);
        line.custom = parse_cells(f, missing, 8, log.sales_columns);
        log.lines.push_back(std::move(line));
    } else if (type == "R") {
        log.catalog.clear();
    } else if (type == "X") {
        need(5);
        CatalogEntry entry;
        entry.item = f[1];
        entry.category = f[2];
        entry.title = parse_cell(f[3], missing[3], ValueType::string);
        entry.brand = parse_cell(f[4], missing[4], ValueType::string);
        entry.custom = parse_cells(f, missing, 5, log.catalog_columns);
        log.catalog.push_back(std::move(entry));
    } else if (type == "F") {
        need(11);
        FileEntry file;
        file.id = unsigned_number(f[1]);
        file.record.kind = f[2] == "catalog" ? FileKind::catalog : FileKind::sales;
        file.record.mode = f[3] == "full" ? LoadMode::full : LoadMode::incremental;
        file.record.result = parse_result(f[4]);
        file.record.at_us = number(f[5]);
        file.record.rows = unsigned_number(f[6]);
        file.record.bytes = unsigned_number(f[7]);
        file.record.sha256 = f[8];
        file.record.name = f[9];
        file.record.detail = f[10];
        log.files.push_back(std::move(file));
    } else if (type == "D") {
        need(10);
        DeletionRecord d;
        d.id = f[1];
        d.scope = parse_scope(f[2]);
        d.reason = f[3];
        d.operator_name = f[4];
        d.at_us = number(f[5]);
        d.removed.lines = unsigned_number(f[6]);
        d.removed.orders = unsigned_number(f[7]);
        d.removed.customers = unsigned_number(f[8]);
        d.removed.revenue = f[9];
        log.deletions.push_back(std::move(d));
    } else {
        throw Error("tenant log: unknown record type '" + type + "'");
    }
}

}  // namespace

sightline::plugin::DataVersion TenantLog::version() const {
    sightline::plugin::DataVersion v;
    v.incarnation = incarnation;
    v.removals = deletions.size();
    for (const auto& file : files) {
        const auto& r = file.record;
        if (r.kind == FileKind::sales && r.mode == LoadMode::full && r.result == FileResult::loaded)
            ++v.removals;
    }
    v.mark = last_file_id();
    return v;
}

TenantLog read_log(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("cannot read the tenant log " + path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();

    TenantLog log;
    std::vector<std::pair<std::vector<std::string>, std::vector<bool>>> pending;
    size_t at = 0;
    while (at < text.size()) {
        const size_t end = text.find('\n', at);
        if (end == std::string::npos) break;  // a line cut short: not committed
        const std::string_view line(text.data() + at, end - at);
        at = end + 1;
        if (line == ".") {
            for (const auto& [fields, missing] : pending) apply(log, fields, missing);
            pending.clear();
            log.committed_bytes = at;
            continue;
        }
        std::vector<bool> missing;
        auto fields = split_record(line, missing);
        pending.emplace_back(std::move(fields), std::move(missing));
    }
    if (log.incarnation.empty()) throw Error("the tenant log " + path + " has no incarnation");
    return log;
}

std::string incarnation_record(const std::string& incarnation) {
    std::string out = "I";
    put_field(out, incarnation);
    return out + "\n";
}

std::string column_record(const char* kind, const Column& column) {
    std::string out = "C";
    put_field(out, kind);
    put_field(out, column.name);
    put_field(out, sightline::plugin::to_string(column.type));
    return out + "\n";
}

std::string file_record(const FileEntry& file) {
    const auto& r = file.record;
    std::string out = "F";
    put_uint(out, file.id);
    put_field(out, sightline::plugin::to_string(r.kind));
    put_field(out, sightline::plugin::to_string(r.mode));
    put_field(out, sightline::plugin::to_string(r.result));
    put_int(out, r.at_us);
    put_uint(out, r.rows);
    put_uint(out, r.bytes);
    put_field(out, r.sha256);
    put_field(out, r.name);
    put_field(out, r.detail);
    return out + "\n";
}

std::string deletion_record(const DeletionRecord& d) {
    std::string out = "D";
    put_field(out, d.id);
    put_field(out, sightline::plugin::to_string(d.scope));
    put_field(out, d.reason);
    put_field(out, d.operator_name);
    put_int(out, d.at_us);
    put_uint(out, d.removed.lines);
    put_uint(out, d.removed.orders);
    put_uint(out, d.removed.customers);
    put_field(out, d.removed.revenue);
    return out + "\n";
}

std::string sales_line_record(const SalesLine& line, const std::vector<Column>& columns) {
    std::string out = "L";
    put_uint(out, line.file_id);
    put_field(out, line.order);
    put_int(out, line.ts);
    put_uint(out, line.customer);
    put_field(out, line.item);
    put_int(out, line.price);
    put_int(out, line.quantity);
    for (size_t c = 0; c < line.custom.size() && c < columns.size(); ++c)
        put_cell(out, line.custom[c], columns[c].type);
    return out + "\n";
}

std::string catalog_record(const CatalogEntry& entry, const std::vector<Column>& columns) {
    std::string out = "X";
    put_field(out, entry.item);
    put_field(out, entry.category);
    put_text_cell(out, entry.title);
    put_text_cell(out, entry.brand);
    for (size_t c = 0; c < entry.custom.size() && c < columns.size(); ++c)
        put_cell(out, entry.custom[c], columns[c].type);
    return out + "\n";
}

std::string snapshot_records(const TenantLog& log, bool with_lines) {
    std::string out = incarnation_record(log.incarnation);
    for (const auto& c : log.sales_columns) out += column_record("sales", c);
    for (const auto& c : log.catalog_columns) out += column_record("catalog", c);
    for (const auto& f : log.files) out += file_record(f);
    for (const auto& d : log.deletions) out += deletion_record(d);
    out += kCatalogReset;
    for (const auto& e : log.catalog) out += catalog_record(e, log.catalog_columns);
    if (with_lines) {
        for (const auto& l : log.lines) out += sales_line_record(l, log.sales_columns);
    }
    return out;
}

std::string millionths_text(__int128 sum) {
    const bool negative = sum < 0;
    unsigned __int128 v =
        negative ? static_cast<unsigned __int128>(-sum) : static_cast<unsigned __int128>(sum);
    std::string whole;
    unsigned __int128 units = v / 1000000;
    do {
        whole.insert(whole.begin(), static_cast<char>('0' + static_cast<int>(units % 10)));
        units /= 10;
    } while (units > 0);
    std::string fraction = std::to_string(static_cast<unsigned>(v % 1000000));
    fraction.insert(0, 6 - fraction.size(), '0');
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
    return (negative ? "-" : "") + whole + (fraction.empty() ? "" : "." + fraction);
}

}  // namespace sightline::target_thirdparty
