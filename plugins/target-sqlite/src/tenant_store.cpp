#include "tenant_store.hpp"

#include <sys/stat.h>

#include <optional>

#include "custom_columns.hpp"
#include "data_version.hpp"
#include "deletions.hpp"
#include "files_table.hpp"
#include "load_transaction.hpp"
#include "sales_scan.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::target_sqlite {

using sightline::plugin::Column;
using sightline::plugin::Error;
using sightline::plugin::FileRecord;
using sightline::plugin::FileResult;
using sightline::plugin::SqlRow;
using sightline::plugin::TenantStats;
using sightline::plugin::Value;

namespace {

bool file_identity(sqlite3* db, dev_t& device, ino_t& inode) {
    const char* path = sqlite3_db_filename(db, "main");
    struct stat st {};
    if (path == nullptr || *path == '\0' || ::stat(path, &st) != 0) return false;
    device = st.st_dev;
    inode = st.st_ino;
    return true;
}

}  // namespace

SqliteTenantStore::SqliteTenantStore(std::shared_ptr<Connection> db) : db_(std::move(db)) {
    file_identity(db_->get(), device_, inode_);
}

bool SqliteTenantStore::alive() {
    dev_t device = 0;
    ino_t inode = 0;
    return file_identity(db_->get(), device, inode) && device == device_ && inode == inode_;
}

std::optional<FileRecord> SqliteTenantStore::find_loaded(const std::string& sha256) {
    return find_loaded_file(*db_, sha256);
}

std::unique_ptr<sightline::plugin::LoadTransaction> SqliteTenantStore::begin_load(
    const sightline::plugin::LoadSpec& spec) {
    return target_sqlite::begin_load(db_, spec);
}

void SqliteTenantStore::record(const FileRecord& record) {
    if (record.result == FileResult::loaded) {
        throw Error(
            "record() is for files that were not loaded; a loaded file is recorded by "
            "LoadTransaction::commit()");
    }
    if (db_->load_active) {
        throw Error("record() cannot run while a load is open on the same " + db_->label() +
                    " store");
    }
    db_->exec("BEGIN IMMEDIATE");
    try {
        insert_file(*db_, record);
        db_->exec("COMMIT");
    } catch (...) {
        rollback_quietly(*db_);
        throw;
    }
}

std::vector<FileRecord> SqliteTenantStore::history() { return read_files(*db_); }

sightline::plugin::DeletionResult SqliteTenantStore::delete_lines(
    const sightline::plugin::DeletionRequest& request) {
    // The deletion needs a transaction of its own; inside a load it would commit the load's rows.
    if (db_->load_active) {
        throw Error("delete_lines() cannot run while a load is open on the same " + db_->label() +
                    " store");
    }
    return target_sqlite::delete_lines(*db_, request);
}

std::vector<sightline::plugin::DeletionRecord> SqliteTenantStore::deletions() {
    return read_deletions(*db_);
}

TenantStats SqliteTenantStore::stats() {
    TenantStats stats;
    // One statement, so that all the figures come from the same snapshot.
    Statement st(*db_,
                 "SELECT (SELECT count(*) FROM sale_lines), "
                 "(SELECT count(DISTINCT customer) FROM sale_lines), "
                 "(SELECT sl_sum_exact(price) FROM sale_lines), "
                 "(SELECT count(*) FROM catalog_items)");
    if (st.step()) {
        stats.lines = static_cast<uint64_t>(st.column_int64(0));
        stats.customers = static_cast<uint64_t>(st.column_int64(1));
        stats.revenue = st.column_string(2);
        stats.catalog_items = static_cast<uint64_t>(st.column_int64(3));
    }
    return stats;
}

std::vector<Column> SqliteTenantStore::custom_columns() {
    return read_custom_columns(*db_, kSalesColumns);
}

void SqliteTenantStore::scan_sales(const std::function<void(const Value* row)>& fn) {
    scan_sale_lines(*db_, 0, nullptr, fn);
}

sightline::plugin::DataVersion SqliteTenantStore::data_version() { return read_data_version(*db_); }

void SqliteTenantStore::scan_sales_after(uint64_t mark, sightline::plugin::SalesScan& out,
                                         const std::function<void(const Value* row)>& fn) {
    scan_sale_lines(*db_, mark, &out, fn);
}

void SqliteTenantStore::scan_catalog(
    const std::function<void(std::string_view item, std::string_view path)>& fn) {
    Statement st(*db_, "SELECT item, path FROM catalog_categories");
    while (st.step()) fn(st.column_text(0), st.column_text(1));
}

void SqliteTenantStore::check() {
    // Reads a page of the file (not just "SELECT 1", which SQLite answers without it): a
    // database that was removed, replaced or damaged under the store fails here.
    if (!alive()) {
        throw Error("the " + db_->label() +
                    " database file was removed or replaced since this store opened it");
    }
    db_->query_int64("SELECT version FROM schema_version");
}

namespace {

class StatementRow final : public SqlRow {
public:
    explicit StatementRow(const Statement& st) : st_(st) {}
    size_t size() const override { return static_cast<size_t>(sqlite3_column_count(st_.get())); }
    bool is_null(size_t column) const override { return st_.is_null(checked(column)); }
    int64_t get_int64(size_t column) const override { return st_.column_int64(checked(column)); }
    std::string_view get_text(size_t column) const override {
        return st_.column_text(checked(column));
    }

private:
    int checked(size_t column) const {
        if (column >= size()) {
            throw Error("query result has " + std::to_string(size()) + " columns; column " +
                        std::to_string(column) + " does not exist");
        }
        return static_cast<int>(column);
    }
    const Statement& st_;
};

// Pragmas a query may read. The first group changes a setting when given an argument, so it is
// allowed only without one; the second group takes an object name and never writes.
bool readable_pragma(const char* name, const char* argument) {
    static constexpr std::string_view kSettings[] = {"journal_mode", "synchronous", "foreign_keys",
                                                     "busy_timeout", "cache_size",  "temp_store",
                                                     "user_version", "page_size"};
    static constexpr std::string_view kInspections[] = {
        "table_info", "table_xinfo",    "index_list",       "index_info",      "index_xinfo",
        "page_count", "freelist_count", "foreign_key_list", "integrity_check", "quick_check"};
    const std::string_view pragma = name ? name : "";
    for (auto known : kSettings) {
        if (pragma == known) return argument == nullptr;
    }
    for (auto known : kInspections) {
        if (pragma == known) return true;
    }
    return false;
}

int read_only_authorizer(void*, int action, const char* arg1, const char* arg2, const char*,
                         const char*) {
    switch (action) {
        case SQLITE_SELECT:
        case SQLITE_READ:
        case SQLITE_FUNCTION:
        case SQLITE_RECURSIVE:
            return SQLITE_OK;
        case SQLITE_PRAGMA:
            return readable_pragma(arg1, arg2) ? SQLITE_OK : SQLITE_DENY;
        case SQLITE_UPDATE:
            // SQLite itself asks this when it sets up a pragma_* table-valued function; a real
            // UPDATE still fails the sqlite3_stmt_readonly() check.
            return arg1 && std::string_view(arg1) == "sqlite_master" ? SQLITE_OK : SQLITE_DENY;
        default:
            return SQLITE_DENY;
    }
}

}  // namespace

void SqliteTenantStore::query(const std::string& sql, const std::vector<Value>& params,
                              const std::function<void(const SqlRow&)>& row) {
    // The evaluator's SQL must not change the tenant's data behind the load protocol, nor end a
    // transaction, attach files or set pragmas: sqlite3_stmt_readonly() allows some of those, so
    // an authorizer limits the statement to reading while it is compiled.
    sqlite3_set_authorizer(db_->get(), read_only_authorizer, nullptr);
    std::optional<Statement> prepared;
    try {
        prepared.emplace(*db_, sql);
    } catch (...) {
        sqlite3_set_authorizer(db_->get(), nullptr, nullptr);
        throw;
    }
    sqlite3_set_authorizer(db_->get(), nullptr, nullptr);
    Statement& st = *prepared;
    if (!sqlite3_stmt_readonly(st.get())) {
        throw Error("query(): only read-only statements are allowed");
    }
    const int expected = sqlite3_bind_parameter_count(st.get());
    if (expected != static_cast<int>(params.size())) {
        throw Error("query(): the statement has " + std::to_string(expected) + " parameters; got " +
                    std::to_string(params.size()) + " values");
    }
    for (size_t p = 0; p < params.size(); ++p) {
        const Value& value = params[p];
        const int index = static_cast<int>(p + 1);
        if (!value.present) {
            st.bind_null(index);
        } else if (value.s.data() != nullptr) {
            st.bind_text(index, value.s);  // params outlive the call
        } else {
            st.bind_int64(index, value.i);
        }
    }
    const StatementRow current(st);
    while (st.step()) row(current);
}

}  // namespace sightline::target_sqlite
