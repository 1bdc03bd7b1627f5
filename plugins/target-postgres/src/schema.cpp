#include "schema.hpp"

#include <pqxx/transaction>

#include "ddl.hpp"
#include "secrets.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::target_pg {

using sightline::plugin::Error;

namespace {

int current_version(pqxx::transaction_base& tx) {
    // A catalog scan, not to_regclass(): after waiting for the writer lock, the scan's fresh
    // snapshot sees a table another session just created; the relation cache may not yet.
    const bool has_table =
        tx.exec(
              "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = "
              "current_schema() AND tablename = 'schema_version')")[0][0]
            .as<bool>();
    if (!has_table) return 0;
    const auto row = tx.exec("SELECT max(version) FROM schema_version")[0];
    return row[0].is_null() ? 0 : row[0].as<int>();
}

void refuse_newer(int version, const Connection& connection, const Dialect& dialect) {
    if (version > kSchemaVersion) {
        throw Error("the " + connection.label() + " database has schema version " +
                    std::to_string(version) + "; this " + dialect.plugin_id() +
                    " plugin knows up to " + std::to_string(kSchemaVersion) +
                    " (upgrade the plugin)");
    }
}

}  // namespace

void migrate(Connection& connection, const Dialect& dialect) {
    {
        pqxx::read_transaction tx(connection);
        const int version = current_version(tx);
        refuse_newer(version, connection, dialect);
        if (version == kSchemaVersion) return;
    }
    pqxx::work tx(connection);
    tx.exec("SELECT pg_advisory_xact_lock(" + std::to_string(kWriterLockKey) + ")");
    // Read again under the lock: another process may have migrated meanwhile.
    const int version = current_version(tx);
    refuse_newer(version, connection, dialect);
    if (version == kSchemaVersion) return;
    for (int step = version + 1; step <= kSchemaVersion; ++step) {
        for (const auto& statement : migration_statements(dialect, step)) tx.exec(statement);
        if (step == 2) {
            // 128 random bits from the kernel: a database created anew (after a drop) never
            // repeats an earlier incarnation.
            tx.exec_params("INSERT INTO incarnation (id) VALUES ($1)",
                           random_password().substr(0, 32));
        }
    }
    tx.exec("DELETE FROM schema_version");
    tx.exec("INSERT INTO schema_version (version) VALUES (" + std::to_string(kSchemaVersion) + ")");
    tx.commit();
}

}  // namespace sightline::target_pg
