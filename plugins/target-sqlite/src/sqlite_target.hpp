// The Target: opens (creating on first use) one SQLite database per tenant.
#pragma once

#include <memory>
#include <string>

#include "config.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::target_sqlite {

class SqliteTarget final : public sightline::plugin::Target {
public:
    // Creates the databases' folder (0700) when missing. host may be null (no logging).
    SqliteTarget(TargetConfig config, sightline::plugin::HostServices* host);

    std::string dialect() const override { return "sqlite"; }
    // Thread-safe: holds no mutable state; every store gets its own connection.
    std::unique_ptr<sightline::plugin::TenantStore> open(const std::string& tenant) override;
    // Removes <tenant>.sqlite with its -wal and -shm; the next open() creates an empty database.
    void drop(const std::string& tenant) override;
    // The database file's path. Tenant ids are lower-case [a-z0-9_-], so distinct ids give
    // distinct files even on a case-insensitive file system.
    std::string storage_name(const std::string& tenant) const override;

    std::string database_path(const std::string& tenant) const;

private:
    TargetConfig config_;
    sightline::plugin::HostServices* host_;
};

}  // namespace sightline::target_sqlite
