#include "tenant_store.hpp"

#include <pqxx/transaction>

#include "custom_columns.hpp"
#include "data_version.hpp"
#include "ddl.hpp"
#include "files_table.hpp"
#include "load_base.hpp"
#include "sightline/plugin/api.hpp"
#include "sql_text.hpp"

namespace sightline::target_pg {

using sightline::plugin::Column;
using sightline::plugin::Error;
using sightline::plugin::FileRecord;
using sightline::plugin::FileResult;
using sightline::plugin::TenantStats;
using sightline::plugin::Value;
using sightline::plugin::ValueType;

// Reads see one snapshot for all their statements.
using ReadTransaction = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

PgTenantStore::PgTenantStore(std::shared_ptr<Connection> connection, const Dialect& dialect)
    : connection_(std::move(connection)), dialect_(dialect) {}

bool PgTenantStore::alive() { return !connection_->load_active && connection_->alive(); }

void PgTenantStore::check_idle(const char* what) const {
    if (connection_->load_active) {
        throw Error(std::string(what) + " cannot run while a load is open on the same " +
                    connection_->label() + " store; use another store");
    }
}

std::optional<FileRecord> PgTenantStore::find_loaded(const std::string& sha256) {
    check_idle("find_loaded()");
    try {
        ReadTransaction tx(*connection_);
        return find_loaded_file(tx, sha256);
    } catch (...) {
        rethrow_as_error("find_loaded() in the " + connection_->label() + " database");
    }
}

std::unique_ptr<sightline::plugin::LoadTransaction> PgTenantStore::begin_load(
    const sightline::plugin::LoadSpec& spec) {
    return target_pg::begin_load(connection_, dialect_, spec);
}

void PgTenantStore::record(const FileRecord& record) {
    if (record.result == FileResult::loaded) {
        throw Error(
            "record() is for files that were not loaded; a loaded file is recorded by "
            "LoadTransaction::commit()");
    }
    check_idle("record()");
    try {
        pqxx::work tx(*connection_);
        // The writer lock, as loads take it: files ids must follow commit order (data_version's
        // mark), and a record() that drew its id while a load was open would commit first.
        tx.exec("SELECT pg_advisory_xact_lock(" + std::to_string(kWriterLockKey) + ")");
        insert_file(tx, record);
        tx.commit();
    } catch (...) {
        rethrow_as_error("record() in the " + connection_->label() + " database");
    }
}

std::vector<FileRecord> PgTenantStore::history() {
    check_idle("history()");
    try {
        ReadTransaction tx(*connection_);
        return read_files(tx);
    } catch (...) {
        rethrow_as_error("history() in the " + connection_->label() + " database");
    }
}

TenantStats PgTenantStore::stats() {
    check_idle("stats()");
    try {
        ReadTransaction tx(*connection_);
        const auto row = tx.exec(
            "SELECT (SELECT count(*) FROM sale_lines), "
            "(SELECT count(DISTINCT customer) FROM sale_lines), "
            "(SELECT sum(price) FROM sale_lines), "
            "(SELECT count(*) FROM catalog_items)")[0];
        TenantStats stats;
        stats.lines = static_cast<uint64_t>(row[0].as<int64_t>());
        stats.customers = static_cast<uint64_t>(row[1].as<int64_t>());
        stats.revenue = normalize_decimal(row[2].is_null() ? "" : row[2].c_str());
        stats.catalog_items = static_cast<uint64_t>(row[3].as<int64_t>());
        return stats;
    } catch (...) {
        rethrow_as_error("stats() in the " + connection_->label() + " database");
    }
}

std::vector<Column> PgTenantStore::custom_columns() {
    check_idle("custom_columns()");
    try {
        ReadTransaction tx(*connection_);
        return read_custom_columns(tx, kSalesColumns);
    } catch (...) {
        rethrow_as_error("custom_columns() in the " + connection_->label() + " database");
    }
}

void PgTenantStore::scan_sales(const std::function<void(const Value* row)>& fn) {
    scan_lines("scan_sales()", 0, nullptr, fn);
}

void PgTenantStore::scan_sales_after(uint64_t mark, sightline::plugin::SalesScan& out,
                                     const std::function<void(const Value* row)>& fn) {
    scan_lines("scan_sales_after()", mark, &out, fn);
}

void PgTenantStore::scan_lines(const char* what, uint64_t after_mark,
                               sightline::plugin::SalesScan* out,
                               const std::function<void(const Value* row)>& fn) {
    check_idle(what);
    std::exception_ptr callback_failure;
    try {
        // One snapshot (repeatable read) for the version, the column list and the rows; a cursor
        // keeps memory flat.
        ReadTransaction tx(*connection_);
        if (out) out->version = read_data_version(tx);
        std::vector<Column> own_custom;
        std::vector<Column>& custom = out ? out->custom : own_custom;
        custom = read_custom_columns(tx, kSalesColumns);
        std::string sql = "SELECT order_id, ts, customer, item, price, quantity";
        for (const auto& column : custom) sql += ", " + quote_identifier(column.name);
        sql += " FROM sale_lines";
        // A number, not text: nothing from outside reaches the statement. Mark 0 keeps the
        // plain full scan.
        if (after_mark > 0) sql += " WHERE file_id > " + std::to_string(after_mark);
        tx.exec("DECLARE sightline_scan NO SCROLL CURSOR FOR " + sql + " ORDER BY id");

        std::vector<Value> row(sightline::plugin::sales_fixed_columns + custom.size());
        for (;;) {
            const pqxx::result batch = tx.exec("FETCH 10000 FROM sightline_scan");
            if (batch.empty()) break;
            for (const auto& r : batch) {
                for (auto& value : row) value = Value{};
                for (size_t c = 0; c < 6; ++c) row[c].present = true;
                row[0].s = std::string_view(r[0].c_str(), r[0].size());
                row[1].i = parse_timestamptz(r[1].c_str());
                row[2].u = parse_uint64(r[2].c_str());
                row[3].s = std::string_view(r[3].c_str(), r[3].size());
                row[4].i = parse_numeric_millionths(r[4].c_str());
                row[5].i = parse_numeric_millionths(r[5].c_str());
                for (size_t c = 0; c < custom.size(); ++c) {
                    const auto field = r[static_cast<pqxx::row::size_type>(6 + c)];
                    Value& value = row[6 + c];
                    if (field.is_null()) continue;
                    value.present = true;
                    switch (custom[c].type) {
                        case ValueType::string:
                            value.s = std::string_view(field.c_str(), field.size());
                            break;
                        case ValueType::decimal:
                            value.i = parse_numeric_millionths(field.c_str());
                            break;
                        case ValueType::timestamp:
                            value.i = parse_timestamptz(field.c_str());
                            break;
                        default:
                            value.i = parse_integer_bits(field.c_str());
                            break;
                    }
                }
                try {
                    fn(row.data());
                } catch (...) {
                    callback_failure = std::current_exception();
                    break;
                }
            }
            if (callback_failure) break;
        }
    } catch (...) {
        rethrow_as_error(std::string(what) + " in the " + connection_->label() + " database");
    }
    // The caller's own exception goes back to it unchanged.
    if (callback_failure) std::rethrow_exception(callback_failure);
}

sightline::plugin::DataVersion PgTenantStore::data_version() {
    check_idle("data_version()");
    try {
        ReadTransaction tx(*connection_);
        return read_data_version(tx);
    } catch (...) {
        rethrow_as_error("data_version() in the " + connection_->label() + " database");
    }
}

void PgTenantStore::scan_catalog(
    const std::function<void(std::string_view item, std::string_view path)>& fn) {
    check_idle("scan_catalog()");
    std::exception_ptr callback_failure;
    try {
        ReadTransaction tx(*connection_);
        tx.exec(
            "DECLARE sightline_catalog NO SCROLL CURSOR FOR "
            "SELECT item, path FROM catalog_categories");
        for (;;) {
            const pqxx::result batch = tx.exec("FETCH 10000 FROM sightline_catalog");
            if (batch.empty()) break;
            for (const auto& r : batch) {
                try {
                    fn(std::string_view(r[0].c_str(), r[0].size()),
                       std::string_view(r[1].c_str(), r[1].size()));
                } catch (...) {
                    callback_failure = std::current_exception();
                    break;
                }
            }
            if (callback_failure) break;
        }
    } catch (...) {
        rethrow_as_error("scan_catalog() in the " + connection_->label() + " database");
    }
    if (callback_failure) std::rethrow_exception(callback_failure);
}

void PgTenantStore::check() {
    check_idle("check()");
    try {
        // One round trip, as the tenant's role, in its database: the server is up, the login
        // works and the database accepts queries.
        pqxx::nontransaction tx(*connection_);
        tx.exec("SELECT 1");
    } catch (...) {
        rethrow_as_error("the " + connection_->label() + " database does not answer");
    }
}

}  // namespace sightline::target_pg
