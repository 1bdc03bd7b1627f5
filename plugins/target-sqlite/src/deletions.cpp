#include "deletions.hpp"

#include <string>

#include "customer_key.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::target_sqlite {

using sightline::plugin::DeletionRecord;
using sightline::plugin::DeletionRequest;
using sightline::plugin::DeletionResult;
using sightline::plugin::DeletionScope;
using sightline::plugin::Error;

namespace {

// Ids go into a temporary table rather than an IN (?, ?, ...) list: a deletion may name hundreds
// of thousands of customers, far beyond SQLite's parameter limit, and a keyed table lets the
// planner probe sale_lines' (customer, ...) index once per id. The temp schema lives in this
// connection only, so a dry run that fills it never takes the database's write lock.
constexpr const char* kCustomerKeys = "temp.sl_deletion_customers";
constexpr const char* kOrderKeys = "temp.sl_deletion_orders";

void check_request(const DeletionRequest& request) {
    switch (request.scope) {
        case DeletionScope::customers:
            if (request.customers.empty()) throw Error("delete_lines: no customer ids given");
            break;
        case DeletionScope::orders:
            if (request.orders.empty()) throw Error("delete_lines: no order ids given");
            break;
        case DeletionScope::time_range:
            // An empty range deletes nothing: almost certainly swapped or mistyped bounds.
            if (request.from_us >= request.to_us) {
                throw Error("delete_lines: the time range is empty (from " +
                            std::to_string(request.from_us) + " is not before to " +
                            std::to_string(request.to_us) + ")");
            }
            break;
    }
    if (!request.dry_run && request.id.empty()) {
        throw Error("delete_lines: a deletion that is recorded needs an id");
    }
}

// Fills the key table of the request's scope and returns the condition on sale_lines that selects
// the lines to delete (with ?1, ?2 for a time range).
std::string select_lines(Connection& db, const DeletionRequest& request) {
    switch (request.scope) {
        case DeletionScope::customers: {
            db.exec(std::string("CREATE TEMP TABLE ") + kCustomerKeys +
                    " (customer INTEGER PRIMARY KEY)");
            Statement insert(db, std::string("INSERT OR IGNORE INTO ") + kCustomerKeys +
                                     " (customer) VALUES (?1)");
            for (uint64_t id : request.customers) {
                insert.bind_int64(1, encode_customer(id));
                insert.step();
                insert.reset();
            }
            return std::string("customer IN (SELECT customer FROM ") + kCustomerKeys + ")";
        }
        case DeletionScope::orders: {
            db.exec(std::string("CREATE TEMP TABLE ") + kOrderKeys +
                    " (order_id TEXT PRIMARY KEY) WITHOUT ROWID");
            Statement insert(
                db, std::string("INSERT OR IGNORE INTO ") + kOrderKeys + " (order_id) VALUES (?1)");
            for (const std::string& order : request.orders) {
                insert.bind_text(1, order);  // order outlives step()
                insert.step();
                insert.reset();
            }
            return std::string("order_id IN (SELECT order_id FROM ") + kOrderKeys + ")";
        }
        case DeletionScope::time_range:
            return "ts >= ?1 AND ts < ?2";
    }
    throw Error("delete_lines: unknown scope");
}

void bind_range(Statement& st, const DeletionRequest& request) {
    if (request.scope == DeletionScope::time_range) {
        st.bind_int64(1, request.from_us);
        st.bind_int64(2, request.to_us);
    }
}

DeletionResult count_lines(Connection& db, const DeletionRequest& request,
                           const std::string& where) {
    // The same aggregates as stats() (sl_sum_exact for the revenue text), so that the counts of
    // a deletion and the change in stats() always agree.
    Statement st(db, "SELECT (SELECT count(*) FROM sale_lines WHERE " + where +
                         "), (SELECT count(*) FROM (SELECT DISTINCT customer, order_id FROM "
                         "sale_lines WHERE " +
                         where + ")), (SELECT count(DISTINCT customer) FROM sale_lines WHERE " +
                         where + "), (SELECT sl_sum_exact(price) FROM sale_lines WHERE " + where +
                         ")");
    bind_range(st, request);
    DeletionResult result;
    if (st.step()) {
        result.lines = static_cast<uint64_t>(st.column_int64(0));
        result.orders = static_cast<uint64_t>(st.column_int64(1));
        result.customers = static_cast<uint64_t>(st.column_int64(2));
        result.revenue = st.column_string(3);
    }
    return result;
}

void insert_record(Connection& db, const DeletionRequest& request, const DeletionResult& removed) {
    Statement st(db,
                 "INSERT INTO deletions (deletion_id, scope, reason, operator_name, at_us, lines, "
                 "orders, customers, revenue) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    st.bind_text(1, request.id);
    st.bind_text(2, sightline::plugin::to_string(request.scope));
    st.bind_text(3, request.reason);
    st.bind_text(4, request.operator_name);
    st.bind_int64(5, request.at_us);
    st.bind_int64(6, static_cast<int64_t>(removed.lines));
    st.bind_int64(7, static_cast<int64_t>(removed.orders));
    st.bind_int64(8, static_cast<int64_t>(removed.customers));
    st.bind_text(9, removed.revenue);
    st.step();
}

DeletionScope parse_scope(std::string_view text) {
    if (text == "customers") return DeletionScope::customers;
    if (text == "orders") return DeletionScope::orders;
    if (text == "time_range") return DeletionScope::time_range;
    throw Error("deletions table holds an unknown scope '" + std::string(text) + "'");
}

}  // namespace

DeletionResult delete_lines(Connection& db, const DeletionRequest& request) {
    check_request(request);
    // A dry run only reads the main database: a deferred transaction keeps the counts on one
    // snapshot without waiting for (or blocking) a load.
    db.exec(request.dry_run ? "BEGIN" : "BEGIN IMMEDIATE");
    try {
        // The temporary tables are created inside the transaction, so a rollback removes them.
        const std::string where = select_lines(db, request);
        const DeletionResult result = count_lines(db, request, where);
        if (request.dry_run) {
            db.exec("ROLLBACK");
            return result;
        }
        Statement remove(db, "DELETE FROM sale_lines WHERE " + where);
        bind_range(remove, request);
        remove.step();
        if (static_cast<uint64_t>(sqlite3_changes64(db.get())) != result.lines) {
            throw Error("delete_lines: counted " + std::to_string(result.lines) +
                        " lines but deleted " + std::to_string(sqlite3_changes64(db.get())));
        }
        insert_record(db, request, result);
        db.exec(std::string("DROP TABLE IF EXISTS ") + kCustomerKeys);
        db.exec(std::string("DROP TABLE IF EXISTS ") + kOrderKeys);
        db.exec("COMMIT");
        return result;
    } catch (...) {
        rollback_quietly(db);
        throw;
    }
}

std::vector<DeletionRecord> read_deletions(Connection& db) {
    Statement st(db,
                 "SELECT deletion_id, scope, reason, operator_name, at_us, lines, orders, "
                 "customers, revenue FROM deletions ORDER BY id");
    std::vector<DeletionRecord> records;
    while (st.step()) {
        DeletionRecord record;
        record.id = st.column_string(0);
        record.scope = parse_scope(st.column_text(1));
        record.reason = st.column_string(2);
        record.operator_name = st.column_string(3);
        record.at_us = st.column_int64(4);
        record.removed.lines = static_cast<uint64_t>(st.column_int64(5));
        record.removed.orders = static_cast<uint64_t>(st.column_int64(6));
        record.removed.customers = static_cast<uint64_t>(st.column_int64(7));
        record.removed.revenue = st.column_string(8);
        records.push_back(std::move(record));
    }
    return records;
}

}  // namespace sightline::target_sqlite
