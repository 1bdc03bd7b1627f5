// Kind "target": a tenant's database. One database (or file) per tenant: physical separation.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sightline/plugin/api.hpp"
#include "sightline/plugin/data.hpp"

namespace sightline::plugin {

struct LoadSpec {
    FileKind kind = FileKind::sales;
    LoadMode mode = LoadMode::incremental;  // full: replace all sales lines atomically
    std::vector<Column> columns;            // fixed columns of the kind, then custom columns
};

// One file's load. Rows are invisible to readers until commit(); destroying an uncommitted
// transaction rolls it back (so does a crash). While it is open, the store that began it is
// not used for anything else (a database connection may be busy streaming the rows): the host
// opens another store for any read it needs meanwhile.
class LoadTransaction {
public:
    virtual ~LoadTransaction() = default;
    // One row: exactly columns.size() values, in LoadSpec order.
    virtual void append(const Value* values) = 0;
    // Make the rows visible and record the file in the tenant's history, atomically.
    virtual void commit(const FileRecord& record) = 0;
};

// The version of a tenant's data (API 1.5). Evaluators that keep a tenant's lines in memory
// (evaluator-columnar) compare versions to know whether what they hold is current, and extend
// what they hold with the lines of later loads when nothing was removed since.
struct DataVersion {
    // Changes whenever the tenant's storage is created anew (first use, and every drop() then
    // open(), as a restore --replace does), so a version of the old storage never equals one of
    // the new. "" = not known (a target built before 1.5): nothing may be kept across calls.
    std::string incarnation;
    // Grows with every committed change that removes or replaces lines: a full upload, a
    // deletion (not a dry run).
    uint64_t removals = 0;
    // Grows with every recorded file (loaded, duplicate or refused; sales or catalog). The sales
    // lines of a load recorded after a version have a mark greater than that version's mark.
    uint64_t mark = 0;

    bool known() const { return !incarnation.empty(); }
    bool operator==(const DataVersion& o) const {
        return incarnation == o.incarnation && removals == o.removals && mark == o.mark;
    }
    bool operator!=(const DataVersion& o) const { return !(*this == o); }
    // "incarnation/removals/mark": equal texts are equal versions.
    std::string text() const {
        return incarnation + "/" + std::to_string(removals) + "/" + std::to_string(mark);
    }
};

// What scan_sales_after() read with the lines (API 1.5).
struct SalesScan {
    DataVersion version;         // the version the lines belong to: one snapshot of the database
    std::vector<Column> custom;  // the rows' custom columns, in row order; set before the first row
};

struct TenantStats {
    uint64_t lines = 0;
    uint64_t customers = 0;
    std::string revenue = "0";  // exact decimal text of the sum of price
    uint64_t catalog_items = 0;
};

// Read access for evaluators and reports: a row of a query result.
class SqlRow {
public:
    virtual ~SqlRow() = default;
    virtual size_t size() const = 0;
    virtual bool is_null(size_t column) const = 0;
    virtual int64_t get_int64(size_t column) const = 0;
    virtual std::string_view get_text(size_t column) const = 0;
};

// Selective deletion (API 1.1). Which lines a deletion removes:
enum class DeletionScope : uint8_t { customers, orders, time_range };
inline const char* to_string(DeletionScope s) {
    switch (s) {
        case DeletionScope::customers:
            return "customers";
        case DeletionScope::orders:
            return "orders";
        case DeletionScope::time_range:
            return "time_range";
    }
    return "?";
}

struct DeletionRequest {
    DeletionScope scope = DeletionScope::customers;
    std::vector<uint64_t> customers;  // customers: every line of these customers
    std::vector<std::string> orders;  // orders: every line with one of these order ids, whoever
                                      // the customer
    int64_t from_us = 0, to_us = 0;   // time_range: lines with from_us <= timestamp < to_us
    bool dry_run = false;             // count what would go, change nothing, record nothing
    // Recorded in the tenant's history with the counts (never the ids themselves).
    std::string id;             // unique, made by the host
    std::string reason;         // why (required by the host)
    std::string operator_name;  // who ran it
    int64_t at_us = 0;          // when (a restore replays the original time)
};

struct DeletionResult {
    uint64_t lines = 0;
    uint64_t orders = 0;        // distinct (customer, order id) pairs among the lines
    uint64_t customers = 0;     // distinct customers among the lines
    std::string revenue = "0";  // exact decimal text of the sum of price of the lines
};

struct DeletionRecord {
    std::string id;
    DeletionScope scope = DeletionScope::customers;
    std::string reason, operator_name;
    int64_t at_us = 0;
    DeletionResult removed;
};

class TenantStore {
public:
    virtual ~TenantStore() = default;
    // The loaded (not refused) file with these bytes, if any.
    virtual std::optional<FileRecord> find_loaded(const std::string& sha256) = 0;
    virtual std::unique_ptr<LoadTransaction> begin_load(const LoadSpec& spec) = 0;
    // Record a file that was not loaded (duplicate or refused) in its own transaction.
    virtual void record(const FileRecord& record) = 0;
    // Every recorded file, oldest first.
    virtual std::vector<FileRecord> history() = 0;
    virtual TenantStats stats() = 0;
    // Custom columns the tenant's data has had, with their types.
    virtual std::vector<Column> custom_columns() = 0;
    // Every sales line: the fixed sales columns then custom_columns(), in insertion order.
    virtual void scan_sales(const std::function<void(const Value* row)>& fn) = 0;
    // Run a read-only query in the target's dialect with bound parameters (never spliced text).
    // Parameters and results use the exact encodings of data.hpp; customer ids as int64 bit
    // patterns (get_int64 then cast to uint64).
    virtual void query(const std::string& sql, const std::vector<Value>& params,
                       const std::function<void(const SqlRow&)>& row) = 0;

    // --- API 1.1 (the host calls these only on plugins built against 1.1 or later) ----------
    // Added with defaults, so that a 1.0 plugin's source still compiles; a plugin built against
    // 1.1 is expected to implement them (the conformance suite checks it).
    // Remove the matching sales lines and record the deletion, in one transaction. Lines loaded
    // later are not affected. With dry_run, only count.
    virtual DeletionResult delete_lines(const DeletionRequest&) {
        throw Error("this target plugin does not implement selective deletion (API 1.1)");
    }
    // Every recorded deletion, oldest first.
    virtual std::vector<DeletionRecord> deletions() { return {}; }

    // --- API 1.4 (called only on plugins built against 1.4 or later) --------------------------
    // Whether this store can still be used. The host keeps idle stores for reuse (a process-wide
    // budget of target connections) and asks before it hands one out again; a dead one is closed
    // and replaced. False when the server closed the connection (a restart, a terminated
    // session). Cheap: no round trip to the server when the answer is known locally. Never
    // called while a LoadTransaction of the store is open. Stores of an older plugin are assumed
    // alive.
    virtual bool alive() { return true; }

    // --- API 1.5 (called only on plugins built against 1.5 or later) --------------------------
    // For evaluators that keep a tenant's data resident and for readiness, so that neither the
    // host nor an evaluator needs to know the target's tables.
    //
    // The tenant's data version now (see DataVersion). Cheap: a small query, never a scan.
    virtual DataVersion data_version() { return {}; }
    // In one read transaction (one consistent snapshot): sets out.version and out.custom, then
    // calls fn for each sales line recorded after `mark` (0: every line) in insertion order,
    // rows laid out as in scan_sales() with out.custom as the custom columns. Lines after a mark
    // are exactly those a later load added when out.version has the incarnation and removals of
    // the version that gave the mark; otherwise only a scan from 0 is meaningful.
    virtual void scan_sales_after(uint64_t /*mark*/, SalesScan& /*out*/,
                                  const std::function<void(const Value* row)>& /*fn*/) {
        throw Error("this target plugin cannot scan lines after a mark (API 1.5)");
    }
    // Every (item, category path) pair of the current catalog, in no particular order: an item
    // has one pair per path of its category cell ("Shoes>Running|Sale" gives two).
    virtual void scan_catalog(
        const std::function<void(std::string_view item, std::string_view path)>& /*fn*/) {
        throw Error("this target plugin cannot read the catalog (API 1.5)");
    }
    // Readiness: one round trip to the storage; throws Error (with the reason, for the log)
    // when the tenant's data cannot be read now.
    virtual void check() {}
};

class Target : public Plugin {
public:
    // The SQL dialect queries must use: "sqlite", "postgresql" or "greenplum".
    virtual std::string dialect() const = 0;
    // Open (creating on first use) the tenant's database. Safe to call from several threads.
    virtual std::unique_ptr<TenantStore> open(const std::string& tenant) = 0;

    // --- API 1.1 ------------------------------------------------------------------------------
    // Remove the tenant's database entirely (before a restore replaces it). Opening the tenant
    // afterwards gives an empty database. No store of the tenant may be open.
    virtual void drop(const std::string& /*tenant*/) {
        throw Error("this target plugin cannot drop a tenant's database (API 1.1)");
    }

    // --- API 1.4 ------------------------------------------------------------------------------
    // The name under which this target keeps the tenant's data: the database, file or folder
    // that open(tenant) creates (for target-postgres the database, whose role and password file
    // are named after it). Two tenants share storage exactly when their names are equal, so the
    // host refuses a profile in which two tenants' names are equal (`profile check` and the
    // start of every command). Depends only on the config and the tenant id: no I/O, no server
    // (`profile check` creates the target and asks, nothing else). Throws Error when the tenant
    // id cannot be given a name (too long for the database's identifiers, say). "" = not said:
    // the host then cannot check, and warns.
    virtual std::string storage_name(const std::string& /*tenant*/) const { return ""; }

    // --- API 1.6 (called only on plugins built against 1.6 or later) --------------------------
    // Build beside, then swap: how `restore --replace` replaces a tenant's data without a window
    // in which the tenant holds part of it. The host opens an empty storage beside the tenant's,
    // replays the archive into it, closes that store and swaps it in. Until swap_beside()
    // commits, the tenant's data is the old data, whatever happens to the process; after, it is
    // the new data. Other stores of the tenant (other processes: `serve`) may stay open
    // throughout and read the new data from their next transaction on. One beside storage per
    // tenant; the host runs at most one restore of a tenant at a time.
    //
    // Whether this target implements the three calls below. false: the host drops the tenant's
    // storage and replays into a fresh one (data is lost if that process dies part-way), and
    // warns.
    virtual bool supports_swap() const { return false; }
    // Discards any beside storage the tenant has (left by a killed or failed run), creates an
    // empty one and opens a store on it: the same schema and the same calls as open(tenant)'s,
    // and a new DataVersion incarnation. The tenant's own storage is neither read nor changed;
    // open(tenant) still opens it. The store counts as one connection.
    virtual std::unique_ptr<TenantStore> open_beside(const std::string& /*tenant*/) {
        throw Error("this target plugin cannot build a tenant's data beside it (API 1.6)");
    }
    // Makes the beside storage the tenant's storage in one atomic step (all or nothing, also
    // across a crash or a kill at any point), then removes what is left of it. The old data is
    // gone afterwards; DataVersion incarnations change with it. No store of the beside storage
    // may be open. Throws Error when there is no complete beside storage (nothing is changed).
    virtual void swap_beside(const std::string& /*tenant*/) {
        throw Error("this target plugin cannot swap a tenant's data (API 1.6)");
    }
    // Removes the tenant's beside storage if there is one (a failed restore); the tenant's own
    // storage is not touched. No store of the beside storage may be open.
    virtual void discard_beside(const std::string& /*tenant*/) {}
};

}  // namespace sightline::plugin
