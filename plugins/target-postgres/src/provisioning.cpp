#include "provisioning.hpp"

#include <pqxx/nontransaction>
#include <thread>

#include "secrets.hpp"
#include "sightline/plugin/api.hpp"
#include "sql_text.hpp"

namespace sightline::target_pg {

using sightline::plugin::Error;

namespace {

// A session-level advisory lock keyed by the database name, released by the destructor (or by
// the server when the connection dies).
class TenantLock {
public:
    TenantLock(pqxx::nontransaction& tx, const std::string& database)
        : tx_(tx), key_("sightline:" + database) {
        tx_.exec_params("SELECT pg_advisory_lock(hashtext($1))", key_);
    }
    ~TenantLock() {
        try {
            tx_.exec_params("SELECT pg_advisory_unlock(hashtext($1))", key_);
        } catch (...) {
            // The connection is gone, and the lock with it.
        }
    }
    TenantLock(const TenantLock&) = delete;
    TenantLock& operator=(const TenantLock&) = delete;

private:
    pqxx::nontransaction& tx_;
    std::string key_;
};

bool exists(pqxx::nontransaction& tx, const char* sql, const std::string& name) {
    return !tx.exec_params(sql, name).empty();
}

// The SCRAM (or md5, per the server's password_encryption) verifier, computed by libpq so that
// the clear-text password never reaches the server or its logs.
std::string password_verifier(Connection& admin, const std::string& role,
                              const std::string& password) {
    char* verifier = PQencryptPasswordConn(admin.raw(), password.c_str(), role.c_str(), nullptr);
    if (!verifier) {
        throw Error(std::string("cannot hash the tenant role's password: ") +
                    PQerrorMessage(admin.raw()));
    }
    std::string out = verifier;
    PQfreemem(verifier);
    return out;
}

}  // namespace

Provisioned provision_tenant(Connection& admin, const TenantNames& names,
                             const std::string& password_file) {
    Provisioned result;
    try {
        pqxx::nontransaction tx(admin);
        TenantLock lock(tx, names.database);
        const std::string role = quote_identifier(names.role);
        const std::string database = quote_identifier(names.database);

        const bool role_exists =
            exists(tx, "SELECT 1 FROM pg_roles WHERE rolname = $1", names.role);
        std::optional<std::string> password = read_secret(password_file);
        if (!password || !role_exists) {
            if (!password) {
                password = random_password();
                write_secret(password_file, *password);
                result.reset_password = role_exists;
            }
            const std::string verifier =
                quote_literal(password_verifier(admin, names.role, *password));
            tx.exec(std::string(role_exists ? "ALTER" : "CREATE") + " ROLE " + role +
                    " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD " + verifier);
        }
        result.password = *password;

        if (!exists(tx, "SELECT 1 FROM pg_database WHERE datname = $1", names.database)) {
            // A non-superuser admin may only give a database to a role it is a member of.
            const bool superuser =
                tx.exec("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")[0][0]
                    .as<bool>();
            if (!superuser) tx.exec("GRANT " + role + " TO current_user");
            // Collation C: text compares by UTF-8 bytes, which is code-point order, the order
            // the segment language and the SQLite target use; and text indexes build about
            // twice as fast as under a linguistic collation.
            tx.exec("CREATE DATABASE " + database + " OWNER " + role +
                    " ENCODING 'UTF8' LC_COLLATE 'C' TEMPLATE template0");
            result.created_database = true;
        }
        // Every time, so that a database created by hand or by an older version is closed too.
        tx.exec("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC");
        tx.exec("GRANT CONNECT, TEMPORARY ON DATABASE " + database + " TO " + role);
    } catch (...) {
        rethrow_as_error("cannot provision database '" + names.database + "'");
    }
    return result;
}

void drop_tenant(Connection& admin, const TenantNames& names, const std::string& password_file) {
    try {
        pqxx::nontransaction tx(admin);
        TenantLock lock(tx, names.database);
        const std::string database = quote_identifier(names.database);
        if (exists(tx, "SELECT 1 FROM pg_database WHERE datname = $1", names.database)) {
            // No new sessions, then end the open ones; DROP DATABASE refuses while any remain.
            tx.exec("REVOKE ALL ON DATABASE " + database + " FROM " + quote_identifier(names.role));
            for (int attempt = 0;; ++attempt) {
                tx.exec_params(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = $1 AND pid <> pg_backend_pid()",
                    names.database);
                try {
                    tx.exec("DROP DATABASE IF EXISTS " + database);
                    break;
                } catch (const pqxx::sql_error& e) {
                    // 55006: a terminated session has not exited yet.
                    if (e.sqlstate() != "55006" || attempt == 50) throw;
                    std::this_thread::sleep_for(std::chrono::milliseconds(100));
                }
            }
        }
        tx.exec("DROP ROLE IF EXISTS " + quote_identifier(names.role));
        remove_secret(password_file);
    } catch (...) {
        rethrow_as_error("cannot drop database '" + names.database + "'");
    }
}

}  // namespace sightline::target_pg
