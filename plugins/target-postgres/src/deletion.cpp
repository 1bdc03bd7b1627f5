// Selective deletion (API 1.1): count, remove and record, in one transaction.
#include <pqxx/transaction>

#include "ddl.hpp"
#include "sightline/plugin/api.hpp"
#include "sql_text.hpp"
#include "tenant_store.hpp"

namespace sightline::target_pg {

using sightline::plugin::DeletionRecord;
using sightline::plugin::DeletionRequest;
using sightline::plugin::DeletionResult;
using sightline::plugin::DeletionScope;
using sightline::plugin::Error;

namespace {

pqxx::result run(pqxx::work& tx, const std::string& sql, const DeletionRequest& request) {
    switch (request.scope) {
        case DeletionScope::customers:
            return tx.exec_params(sql, uint64_array_literal(request.customers));
        case DeletionScope::orders:
            return tx.exec_params(sql, text_array_literal(request.orders));
        case DeletionScope::time_range:
            return tx.exec_params(sql, timestamp_text(request.from_us),
                                  timestamp_text(request.to_us));
    }
    throw Error("unknown deletion scope");
}

DeletionScope parse_scope(const std::string& text) {
    for (DeletionScope scope :
         {DeletionScope::customers, DeletionScope::orders, DeletionScope::time_range}) {
        if (text == sightline::plugin::to_string(scope)) return scope;
    }
    throw Error("deletions table holds an unknown scope '" + text + "'");
}

}  // namespace

DeletionResult PgTenantStore::delete_lines(const DeletionRequest& request) {
    check_idle("delete_lines()");
    if (!request.dry_run && request.id.empty())
        throw Error("delete_lines(): the request has no id");
    DeletionResult removed;
    try {
        pqxx::work tx(*connection_);
        // Serialized with loads: the lines counted are exactly the lines removed.
        tx.exec("SELECT pg_advisory_xact_lock(" + std::to_string(kWriterLockKey) + ")");
        const auto counts = run(tx, deletion_count(request.scope), request)[0];
        removed.lines = static_cast<uint64_t>(counts[0].as<int64_t>());
        removed.orders = static_cast<uint64_t>(counts[1].as<int64_t>());
        removed.customers = static_cast<uint64_t>(counts[2].as<int64_t>());
        removed.revenue = normalize_decimal(counts[3].is_null() ? "" : counts[3].c_str());
        if (request.dry_run) return removed;  // the transaction aborts: nothing recorded

        run(tx, deletion_delete(request.scope), request);
        tx.exec_params(
            "INSERT INTO deletions (id, scope, reason, operator_name, at_us, lines, orders, "
            "customers, revenue) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::numeric)",
            request.id, std::string(to_string(request.scope)), request.reason,
            request.operator_name, request.at_us, static_cast<int64_t>(removed.lines),
            static_cast<int64_t>(removed.orders), static_cast<int64_t>(removed.customers),
            removed.revenue);
        tx.commit();
    } catch (...) {
        rethrow_as_error("delete_lines() in the " + connection_->label() + " database");
    }
    return removed;
}

std::vector<DeletionRecord> PgTenantStore::deletions() {
    check_idle("deletions()");
    try {
        pqxx::read_transaction tx(*connection_);
        const pqxx::result rows = tx.exec(
            "SELECT id, scope, reason, operator_name, at_us, lines, orders, customers, revenue "
            "FROM deletions ORDER BY seq");
        std::vector<DeletionRecord> out;
        for (const auto& row : rows) {
            DeletionRecord record;
            record.id = row[0].as<std::string>();
            record.scope = parse_scope(row[1].as<std::string>());
            record.reason = row[2].as<std::string>();
            record.operator_name = row[3].as<std::string>();
            record.at_us = row[4].as<int64_t>();
            record.removed.lines = static_cast<uint64_t>(row[5].as<int64_t>());
            record.removed.orders = static_cast<uint64_t>(row[6].as<int64_t>());
            record.removed.customers = static_cast<uint64_t>(row[7].as<int64_t>());
            record.removed.revenue = normalize_decimal(row[8].c_str());
            out.push_back(std::move(record));
        }
        return out;
    } catch (...) {
        rethrow_as_error("deletions() in the " + connection_->label() + " database");
    }
}

}  // namespace sightline::target_pg
