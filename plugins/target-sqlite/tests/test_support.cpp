#include "test_support.hpp"

#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "config.hpp"

namespace sightline::target_sqlite::testing {

Fixture::Fixture() {
    TargetConfig config;
    config.dir = dir.path() + "/db";
    target = std::make_unique<SqliteTarget>(config, &host);
}

sp::LoadSpec sales_spec(const std::vector<sp::Column>& custom, sp::LoadMode mode) {
    sp::LoadSpec spec;
    spec.kind = sp::FileKind::sales;
    spec.mode = mode;
    spec.columns = {{"order", sp::ValueType::string},    {"timestamp", sp::ValueType::timestamp},
                    {"customer", sp::ValueType::uint64}, {"item", sp::ValueType::string},
                    {"price", sp::ValueType::decimal},   {"quantity", sp::ValueType::decimal}};
    spec.columns.insert(spec.columns.end(), custom.begin(), custom.end());
    return spec;
}

sp::LoadSpec catalog_spec(const std::vector<sp::Column>& custom) {
    sp::LoadSpec spec;
    spec.kind = sp::FileKind::catalog;
    spec.columns = {{"item", sp::ValueType::string},
                    {"category", sp::ValueType::string},
                    {"title", sp::ValueType::string},
                    {"brand", sp::ValueType::string}};
    spec.columns.insert(spec.columns.end(), custom.begin(), custom.end());
    return spec;
}

sp::FileRecord loaded_record(const std::string& name, const std::string& sha256, uint64_t rows,
                             sp::FileKind kind, sp::LoadMode mode) {
    sp::FileRecord record;
    record.name = name;
    record.sha256 = sha256;
    record.kind = kind;
    record.mode = mode;
    record.result = sp::FileResult::loaded;
    record.at_us = 1'700'000'000'000'000;
    record.rows = rows;
    record.bytes = 100 * rows;
    return record;
}

void append_lines(sp::LoadTransaction& load, const sp::LoadSpec& spec,
                  const std::vector<SaleLine>& lines) {
    std::vector<sp::Value> row(spec.columns.size());
    for (const auto& line : lines) {
        for (auto& v : row) v = sp::Value{};
        row[0] = text_value(line.order);
        row[1] = int_value(line.ts);
        row[2].present = true;
        row[2].u = line.customer;
        row[3] = text_value(line.item);
        row[4] = int_value(line.price);
        if (line.quantity) row[5] = int_value(*line.quantity);
        for (size_t c = sp::sales_fixed_columns; c < spec.columns.size(); ++c) {
            const size_t k = c - sp::sales_fixed_columns;
            if (spec.columns[c].type == sp::ValueType::string) {
                if (k < line.custom_text.size() && line.custom_text[k]) {
                    row[c] = text_value(*line.custom_text[k]);
                }
            } else if (k < line.custom_int.size() && line.custom_int[k]) {
                row[c] = int_value(*line.custom_int[k]);
            }
        }
        load.append(row.data());
    }
}

void load_sales(sp::TenantStore& store, const std::vector<SaleLine>& lines, const std::string& name,
                const std::string& sha256, sp::LoadMode mode,
                const std::vector<sp::Column>& custom) {
    const sp::LoadSpec spec = sales_spec(custom, mode);
    auto load = store.begin_load(spec);
    append_lines(*load, spec, lines);
    static int next_sha = 1000;
    load->commit(loaded_record(name, sha256.empty() ? fake_sha(++next_sha) : sha256, lines.size(),
                               sp::FileKind::sales, mode));
}

void load_catalog(sp::TenantStore& store, const std::vector<CatalogItem>& items,
                  const std::vector<sp::Column>& custom) {
    const sp::LoadSpec spec = catalog_spec(custom);
    auto load = store.begin_load(spec);
    std::vector<sp::Value> row(spec.columns.size());
    for (const auto& item : items) {
        for (auto& v : row) v = sp::Value{};
        row[0] = text_value(item.item);
        row[1] = text_value(item.category);
        if (item.title) row[2] = text_value(*item.title);
        if (item.brand) row[3] = text_value(*item.brand);
        for (size_t k = 0; k < item.custom.size(); ++k) {
            if (item.custom[k]) row[sp::catalog_fixed_columns + k] = text_value(*item.custom[k]);
        }
        load->append(row.data());
    }
    load->commit(loaded_record("catalog.csv", fake_sha(999), items.size(), sp::FileKind::catalog));
}

std::vector<std::string> query_texts(sp::TenantStore& store, const std::string& sql,
                                     const std::vector<sp::Value>& params) {
    std::vector<std::string> out;
    store.query(sql, params, [&](const sp::SqlRow& row) {
        out.push_back(row.is_null(0) ? "NULL" : std::string(row.get_text(0)));
    });
    return out;
}

int64_t query_int(sp::TenantStore& store, const std::string& sql,
                  const std::vector<sp::Value>& params) {
    int64_t value = 0;
    store.query(sql, params, [&](const sp::SqlRow& row) { value = row.get_int64(0); });
    return value;
}

sp::Value text_value(std::string_view s) {
    sp::Value v;
    v.present = true;
    v.s = s.data() ? s : std::string_view("", 0);
    return v;
}

sp::Value int_value(int64_t i) {
    sp::Value v;
    v.present = true;
    v.i = i;
    return v;
}

std::string fake_sha(int n) {
    char buffer[65];
    std::snprintf(buffer, sizeof buffer, "%064x", n);
    return buffer;
}

}  // namespace sightline::target_sqlite::testing
