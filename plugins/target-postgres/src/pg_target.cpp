#include "pg_target.hpp"

#include "beside.hpp"
#include "connection.hpp"
#include "conninfo.hpp"
#include "provisioning.hpp"
#include "schema.hpp"
#include "secrets.hpp"
#include "sightline/plugin/api.hpp"
#include "tenant_store.hpp"

namespace sightline::target_pg {

using sightline::plugin::Error;
using sightline::plugin::LogLevel;

PgTarget::PgTarget(std::shared_ptr<const Dialect> dialect, PgConfig config,
                   sightline::plugin::HostServices* host)
    : dialect_(std::move(dialect)), config_(std::move(config)), host_(host) {
    if (config_.secrets_dir.empty()) {
        if (!host_) throw Error("'secrets_dir' is required when there is no host state folder");
        config_.secrets_dir = host_->state_dir() + "/" + dialect_->plugin_id();
    }
    ensure_private_dir(config_.secrets_dir);
    // Parse once now, so that a malformed admin_dsn fails at startup rather than at first load.
    admin_conninfo();
}

TenantNames PgTarget::names(const std::string& tenant) const {
    return tenant_names(config_.database_prefix, tenant);
}

std::string PgTarget::storage_name(const std::string& tenant) const {
    return names(tenant).database;
}

std::string PgTarget::password_file(const TenantNames& names) const {
    return config_.secrets_dir + "/" + names.role + ".password";
}

std::string PgTarget::admin_conninfo() const {
    return connection_string(config_.admin_dsn, nullptr,
                             static_cast<int>(config_.connect_timeout_s),
                             std::string("sightline-") + dialect_->plugin_id());
}

std::string PgTarget::tenant_conninfo(const TenantNames& names, const std::string& password) const {
    const Login login{names.role, password, names.database};
    return connection_string(config_.admin_dsn, &login, static_cast<int>(config_.connect_timeout_s),
                             std::string("sightline-") + dialect_->plugin_id());
}

void PgTarget::log(LogLevel level, const char* event,
                   const sightline::plugin::LogFields& fields) const {
    if (host_) host_->log(level, event, fields);
}

std::shared_ptr<Connection> PgTarget::connect(const std::string& tenant) const {
    const TenantNames tenant_names = names(tenant);
    const std::string secret = password_file(tenant_names);
    const std::string label = "tenant '" + tenant + "'";

    // Usually everything exists: connect as the tenant role straight away. Any failure (no
    // database yet, no password file, a password reset by hand) goes through the admin
    // connection, which repairs what is missing; a server that is down fails there, transiently.
    std::shared_ptr<Connection> connection;
    if (const auto password = read_secret(secret)) {
        try {
            connection =
                std::make_shared<Connection>(tenant_conninfo(tenant_names, *password), label);
        } catch (const Error&) {
        }
    }
    if (!connection) {
        // The admin connection is closed before the tenant's opens: an open() holds one
        // connection at a time, so the host's budget of target connections holds.
        const Provisioned provisioned = [&] {
            Connection admin(admin_conninfo(), "admin");
            return provision_tenant(admin, tenant_names, secret);
        }();
        if (provisioned.created_database) {
            log(LogLevel::info, "target.tenant_database_created",
                {{"tenant", tenant}, {"database", tenant_names.database}});
        }
        if (provisioned.reset_password) {
            log(LogLevel::warn, "target.tenant_password_reset",
                {{"tenant", tenant}, {"role", tenant_names.role}});
        }
        connection = std::make_shared<Connection>(
            tenant_conninfo(tenant_names, provisioned.password), label);
    }
    return connection;
}

std::unique_ptr<sightline::plugin::TenantStore> PgTarget::open(const std::string& tenant) {
    std::shared_ptr<Connection> connection = connect(tenant);
    try {
        migrate(*connection, *dialect_);
    } catch (...) {
        rethrow_as_error("cannot prepare the " + connection->label() + " database");
    }
    return std::make_unique<PgTenantStore>(std::move(connection), *dialect_);
}

std::unique_ptr<sightline::plugin::TenantStore> PgTarget::open_beside(const std::string& tenant) {
    std::shared_ptr<Connection> connection = connect(tenant);
    create_beside_schema(*connection);  // discards a killed run's schema first
    try {
        migrate(*connection, *dialect_);  // in the beside schema: a new incarnation
    } catch (...) {
        rethrow_as_error("cannot prepare the schema beside the " + connection->label() +
                         " database's tables");
    }
    return std::make_unique<PgTenantStore>(std::move(connection), *dialect_);
}

void PgTarget::swap_beside(const std::string& tenant) {
    std::shared_ptr<Connection> connection = connect(tenant);
    swap_beside_schema(*connection);
    log(LogLevel::info, "target.tenant_database_swapped",
        {{"tenant", tenant}, {"database", names(tenant).database}});
}

void PgTarget::discard_beside(const std::string& tenant) { drop_beside_schema(*connect(tenant)); }

void PgTarget::drop(const std::string& tenant) {
    const TenantNames tenant_names = names(tenant);
    Connection admin(admin_conninfo(), "admin");
    drop_tenant(admin, tenant_names, password_file(tenant_names));
    log(LogLevel::info, "target.tenant_database_dropped",
        {{"tenant", tenant}, {"database", tenant_names.database}});
}

}  // namespace sightline::target_pg
