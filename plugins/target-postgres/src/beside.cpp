#include "beside.hpp"

#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include "ddl.hpp"
#include "sightline/plugin/api.hpp"
#include "sql_text.hpp"

namespace sightline::target_pg {

using sightline::plugin::Error;

namespace {

// One relation of a schema that a swap drops or moves: tables, views, sequences, not the ones
// that go with a table (indexes, TOAST tables, a serial column's sequence). Parents before the
// tables that inherit from them (Greenplum's partitions: dropped with their parent, moved one by
// one if the parent's move left them), views before tables. Re-read after
// every statement: dropping or moving one relation may take others with it.
const char* const kNextRelation =
    "SELECT c.relname, c.relkind FROM pg_catalog.pg_class c "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
    "AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_catalog.pg_depend d "
    "  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid "
    "  AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i'))) "
    "ORDER BY EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid), "
    "c.relkind <> 'v', c.relname LIMIT 1";

const char* object_word(char relkind) {
    switch (relkind) {
        case 'v':
            return "VIEW";
        case 'm':
            return "MATERIALIZED VIEW";
        case 'S':
            return "SEQUENCE";
        case 'f':
            return "FOREIGN TABLE";
        default:
            return "TABLE";
    }
}

// Runs statement_for(name, kind) for each relation of the schema until none is left; returns
// how many statements ran. A relation that a statement leaves in place would loop: refused.
template <typename F>
int for_each_relation(pqxx::work& tx, const std::string& schema, F statement_for) {
    std::string previous;
    int count = 0;
    for (;;) {
        const pqxx::result row = tx.exec_params(kNextRelation, schema);
        if (row.empty()) return count;
        const std::string name = row[0][0].as<std::string>();
        const char kind = row[0][1].as<std::string>().at(0);
        if (name == previous)
            throw Error("the relation " + schema + "." + name + " cannot be moved or dropped");
        previous = name;
        tx.exec(statement_for(quote_identifier(schema) + "." + quote_identifier(name), kind));
        ++count;
    }
}

}  // namespace

void create_beside_schema(Connection& connection) {
    try {
        {
            pqxx::work tx(connection);
            tx.exec(std::string("DROP SCHEMA IF EXISTS ") + kBesideSchema + " CASCADE");
            tx.exec(std::string("CREATE SCHEMA ") + kBesideSchema);
            tx.commit();
        }
        pqxx::nontransaction session(connection);
        session.exec(std::string("SET search_path TO ") + kBesideSchema);
    } catch (...) {
        rethrow_as_error("cannot create the schema beside the " + connection.label() +
                         " database's tables");
    }
}

void swap_beside_schema(Connection& connection) {
    try {
        pqxx::work tx(connection);
        // No load, deletion or migration commits meanwhile: they would be lost with the old
        // tables, or half in each.
        tx.exec("SELECT pg_advisory_xact_lock(" + std::to_string(kWriterLockKey) + ")");
        const pqxx::result current = tx.exec("SELECT current_schema()");
        if (current.empty() || current[0][0].is_null())
            throw Error("the session has no current schema (search_path) to swap into");
        const std::string tenant_schema = current[0][0].as<std::string>();
        if (tenant_schema == kBesideSchema) throw Error("the session points at the beside schema");
        const pqxx::result complete = tx.exec_params(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = $1 AND "
            "tablename = 'incarnation')",
            std::string(kBesideSchema));
        if (!complete[0][0].as<bool>())
            throw Error(std::string("there is no complete schema ") + kBesideSchema +
                        " to swap in; nothing was changed");
        for_each_relation(tx, tenant_schema, [](const std::string& relation, char kind) {
            return std::string("DROP ") + object_word(kind) + " " + relation + " CASCADE";
        });
        const std::string into = quote_identifier(tenant_schema);
        for_each_relation(tx, kBesideSchema, [&](const std::string& relation, char kind) {
            return std::string("ALTER ") + object_word(kind) + " " + relation + " SET SCHEMA " +
                   into;
        });
        // RESTRICT: anything left behind (an object kind the moves do not know) fails the swap
        // rather than being lost.
        tx.exec(std::string("DROP SCHEMA ") + kBesideSchema + " RESTRICT");
        tx.commit();
    } catch (...) {
        rethrow_as_error("cannot swap the restored tables into the " + connection.label() +
                         " database");
    }
}

void drop_beside_schema(Connection& connection) {
    try {
        pqxx::work tx(connection);
        tx.exec(std::string("DROP SCHEMA IF EXISTS ") + kBesideSchema + " CASCADE");
        tx.commit();
    } catch (...) {
        rethrow_as_error("cannot drop the schema beside the " + connection.label() +
                         " database's tables");
    }
}

}  // namespace sightline::target_pg
