#include "pg_target.hpp"

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

std::unique_ptr<sightline::plugin::TenantStore> PgTarget::open(const std::string& tenant) {
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
    try {
        migrate(*connection, *dialect_);
    } catch (...) {
        rethrow_as_error("cannot prepare the " + label + " database");
    }
    return std::make_unique<PgTenantStore>(std::move(connection), *dialect_);
}

void PgTarget::drop(const std::string& tenant) {
    const TenantNames tenant_names = names(tenant);
    Connection admin(admin_conninfo(), "admin");
    drop_tenant(admin, tenant_names, password_file(tenant_names));
    log(LogLevel::info, "target.tenant_database_dropped",
        {{"tenant", tenant}, {"database", tenant_names.database}});
}

}  // namespace sightline::target_pg
