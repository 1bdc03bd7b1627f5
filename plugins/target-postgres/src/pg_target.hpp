// The Target of both PostgreSQL-family plugins: one database and one LOGIN role per tenant,
// provisioned on first open() through the admin connection.
#pragma once

#include <memory>
#include <string>

#include "config.hpp"
#include "connection.hpp"
#include "dialect.hpp"
#include "sightline/plugin/target.hpp"
#include "tenant_names.hpp"

namespace sightline::target_pg {

class PgTarget final : public sightline::plugin::Target {
public:
    // Creates the secrets folder (0700). host may be null when config.secrets_dir is set.
    PgTarget(std::shared_ptr<const Dialect> dialect, PgConfig config,
             sightline::plugin::HostServices* host);

    std::string dialect() const override { return dialect_->name(); }
    // Thread-safe: holds no mutable state; provisioning is serialized by the server.
    std::unique_ptr<sightline::plugin::TenantStore> open(const std::string& tenant) override;
    void drop(const std::string& tenant) override;
    // The database name: its role and password file are named after it.
    std::string storage_name(const std::string& tenant) const override;
    // API 1.6: the restore is built in a schema of the tenant's database and swapped in by one
    // transaction (beside.hpp says why not another database).
    bool supports_swap() const override { return true; }
    std::unique_ptr<sightline::plugin::TenantStore> open_beside(const std::string& tenant) override;
    void swap_beside(const std::string& tenant) override;
    void discard_beside(const std::string& tenant) override;

    TenantNames names(const std::string& tenant) const;
    std::string password_file(const TenantNames& names) const;
    // The libpq connection string of the admin connection, with this library's session settings.
    std::string admin_conninfo() const;

private:
    // A session of the tenant's database as its role, provisioning what is missing first.
    std::shared_ptr<Connection> connect(const std::string& tenant) const;
    std::string tenant_conninfo(const TenantNames& names, const std::string& password) const;
    void log(sightline::plugin::LogLevel level, const char* event,
             const sightline::plugin::LogFields& fields) const;

    std::shared_ptr<const Dialect> dialect_;
    PgConfig config_;
    sightline::plugin::HostServices* host_;
};

}  // namespace sightline::target_pg
