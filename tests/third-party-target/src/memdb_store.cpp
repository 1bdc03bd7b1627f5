#include "memdb_store.hpp"

#include <fstream>
#include <set>
#include <utility>

#include "memdb_load.hpp"
#include "tenant_log.hpp"

namespace sightline::target_thirdparty {

using sightline::plugin::Column;
using sightline::plugin::DeletionRecord;
using sightline::plugin::DeletionRequest;
using sightline::plugin::DeletionResult;
using sightline::plugin::DeletionScope;
using sightline::plugin::Error;
using sightline::plugin::FileRecord;
using sightline::plugin::FileResult;
using sightline::plugin::Value;
using sightline::plugin::ValueType;

namespace {

// Calls fn for every line of a file after `mark`, laid out as scan_sales() documents.
void scan_lines(const TenantLog& log, uint64_t mark,
                const std::function<void(const Value* row)>& fn) {
    const auto& columns = log.sales_columns;
    std::vector<Value> row(sightline::plugin::sales_fixed_columns + columns.size());
    for (const auto& line : log.lines) {
        if (line.file_id <= mark) continue;
        for (auto& v : row) v = Value{};
        for (size_t c = 0; c < sightline::plugin::sales_fixed_columns; ++c) row[c].present = true;
        row[0].s = line.order;
        row[1].i = line.ts;
        row[2].u = line.customer;
        row[3].s = line.item;
        row[4].i = line.price;
        row[5].i = line.quantity;
        for (size_t c = 0; c < line.custom.size() && c < columns.size(); ++c) {
            const Cell& cell = line.custom[c];
            Value& v = row[sightline::plugin::sales_fixed_columns + c];
            if (!cell.present) continue;
            v.present = true;
            if (columns[c].type == ValueType::string) {
                v.s = cell.text;
            } else {
                v.i = cell.number;
                v.u = static_cast<uint64_t>(cell.number);
            }
        }
        fn(row.data());
    }
}

bool matches(const SalesLine& line, const DeletionRequest& request,
             const std::set<uint64_t>& customers, const std::set<std::string>& orders) {
    switch (request.scope) {
        case DeletionScope::customers:
            return customers.count(line.customer) > 0;
        case DeletionScope::orders:
            return orders.count(line.order) > 0;
        case DeletionScope::time_range:
            return line.ts >= request.from_us && line.ts < request.to_us;
    }
    return false;
}

void check_request(const DeletionRequest& request) {
    if (request.scope == DeletionScope::customers && request.customers.empty())
        throw Error("delete_lines: no customer ids given");
    if (request.scope == DeletionScope::orders && request.orders.empty())
        throw Error("delete_lines: no order ids given");
    if (request.scope == DeletionScope::time_range && request.from_us >= request.to_us)
        throw Error("delete_lines: the time range is empty");
    if (!request.dry_run && request.id.empty())
        throw Error("delete_lines: a deletion that is recorded needs an id");
}

}  // namespace

std::optional<FileRecord> MemdbStore::find_loaded(const std::string& sha256) {
    for (const auto& file : read_log(paths_.log).files) {
        if (file.record.sha256 == sha256 && file.record.result == FileResult::loaded)
            return file.record;
    }
    return std::nullopt;
}

std::unique_ptr<sightline::plugin::LoadTransaction> MemdbStore::begin_load(
    const sightline::plugin::LoadSpec& spec) {
    return begin_memdb_load(paths_, spec);
}

void MemdbStore::record(const FileRecord& record) {
    if (record.result == FileResult::loaded)
        throw Error("record() is for files that were not loaded");
    WriterLock lock(paths_);
    const TenantLog log = read_log(paths_.log);
    PendingWrite write(paths_, PendingWrite::Mode::append, log.committed_bytes);
    write.write(file_record({log.last_file_id() + 1, record}));
    write.commit();
}

std::vector<FileRecord> MemdbStore::history() {
    std::vector<FileRecord> out;
    for (auto& file : read_log(paths_.log).files) out.push_back(std::move(file.record));
    return out;
}

sightline::plugin::TenantStats MemdbStore::stats() {
    const TenantLog log = read_log(paths_.log);
    sightline::plugin::TenantStats stats;
    std::set<uint64_t> customers;
    __int128 revenue = 0;
    for (const auto& line : log.lines) {
        customers.insert(line.customer);
        revenue += line.price;
    }
    stats.lines = log.lines.size();
    stats.customers = customers.size();
    stats.revenue = millionths_text(revenue);
    stats.catalog_items = log.catalog.size();
    return stats;
}

std::vector<Column> MemdbStore::custom_columns() { return read_log(paths_.log).sales_columns; }

void MemdbStore::scan_sales(const std::function<void(const Value* row)>& fn) {
    scan_lines(read_log(paths_.log), 0, fn);
}

void MemdbStore::query(const std::string&, const std::vector<Value>&,
                       const std::function<void(const sightline::plugin::SqlRow&)>&) {
    throw Error(
        "target-thirdparty (dialect memdb) has no query language: use an evaluator that "
        "reads through the plugin API (evaluator-columnar, evaluator-memory)");
}

DeletionResult MemdbStore::delete_lines(const DeletionRequest& request) {
    check_request(request);
    std::optional<WriterLock> lock;
    if (!request.dry_run) lock.emplace(paths_);
    TenantLog log = read_log(paths_.log);
    const std::set<uint64_t> customers(request.customers.begin(), request.customers.end());
    const std::set<std::string> orders(request.orders.begin(), request.orders.end());

    DeletionResult removed;
    std::set<uint64_t> removed_customers;
    std::set<std::pair<uint64_t, std::string>> removed_orders;
    __int128 revenue = 0;
    std::vector<SalesLine> kept;
    for (auto& line : log.lines) {
        if (!matches(line, request, customers, orders)) {
            kept.push_back(std::move(line));
            continue;
        }
        ++removed.lines;
        removed_customers.insert(line.customer);
        removed_orders.emplace(line.customer, line.order);
        revenue += line.price;
    }
    removed.customers = removed_customers.size();
    removed.orders = removed_orders.size();
    removed.revenue = millionths_text(revenue);
    if (request.dry_run) return removed;

    log.lines = std::move(kept);
    DeletionRecord record;
    record.id = request.id;
    record.scope = request.scope;
    record.reason = request.reason;
    record.operator_name = request.operator_name;
    record.at_us = request.at_us;
    record.removed = removed;
    log.deletions.push_back(record);
    PendingWrite write(paths_, PendingWrite::Mode::replace, log.committed_bytes);
    write.write(snapshot_records(log, /*with_lines=*/true));
    write.commit();
    return removed;
}

std::vector<DeletionRecord> MemdbStore::deletions() { return read_log(paths_.log).deletions; }

sightline::plugin::DataVersion MemdbStore::data_version() { return read_log(paths_.log).version(); }

void MemdbStore::scan_sales_after(uint64_t mark, sightline::plugin::SalesScan& out,
                                  const std::function<void(const Value* row)>& fn) {
    // One read of the file: the version, the columns and the lines are of the same commit.
    const TenantLog log = read_log(paths_.log);
    out.version = log.version();
    out.custom = log.sales_columns;
    scan_lines(log, mark, fn);
}

void MemdbStore::scan_catalog(
    const std::function<void(std::string_view item, std::string_view path)>& fn) {
    const TenantLog log = read_log(paths_.log);
    for (const auto& entry : log.catalog) {
        std::set<std::string> paths;  // "A|A" names one path
        size_t start = 0;
        for (;;) {
            const size_t bar = entry.category.find('|', start);
            const std::string path = entry.category.substr(
                start, bar == std::string::npos ? std::string::npos : bar - start);
            if (!path.empty() && paths.insert(path).second) fn(entry.item, path);
            if (bar == std::string::npos) break;
            start = bar + 1;
        }
    }
}

void MemdbStore::check() {
    // The storage's one "round trip": the log is there and readable from its first record.
    std::ifstream in(paths_.log, std::ios::binary);
    std::string first;
    if (!in || !std::getline(in, first) || first.rfind("I\t", 0) != 0)
        throw Error("target-thirdparty: cannot read the tenant log " + paths_.log);
}

}  // namespace sightline::target_thirdparty
