// What differs between the SQL dialects this library serves (PostgreSQL, Greenplum/Cloudberry):
// table storage and distribution clauses, and whether foreign keys are declared. Everything else
// (the tables' columns, loads, queries, deletions) is shared: see ddl.hpp.
#pragma once

#include <string>

namespace sightline::target_pg {

class Dialect {
public:
    virtual ~Dialect() = default;
    // Target::dialect(): "postgresql" or "greenplum".
    virtual const char* name() const = 0;
    // The plugin's id, for messages and the default secrets folder.
    virtual const char* plugin_id() const = 0;
    // Appended after "CREATE TABLE t (...)" of a small bookkeeping table. distribution_key is a
    // column that every unique constraint of the table includes, or nullptr for a table without
    // one (a table that every segment may copy whole).
    virtual std::string small_table_clause(const char* distribution_key) const = 0;
    // Appended after "CREATE TABLE <sale lines> (...)": storage, distribution, partitioning.
    virtual std::string sales_table_clause() const = 0;
    // Whether "REFERENCES" clauses are declared (Greenplum accepts but never enforces them).
    virtual bool declares_foreign_keys() const = 0;
};

// The PostgreSQL dialect: plain heap tables, no extra clauses.
const Dialect& postgres_dialect();

}  // namespace sightline::target_pg
