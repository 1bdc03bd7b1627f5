// The Target: opens (creating on first use) one SQLite database per tenant.
#pragma once

#include <memory>
#include <string>

#include "config.hpp"
#include "db.hpp"
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

    // API 1.6: a restore --replace builds <tenant>.beside.sqlite (no tenant id contains a dot, so
    // it is nobody's database), then copies it into the tenant's database with sqlite3_backup in
    // one write transaction: atomic and crash-safe through the tenant's WAL, seen by the other
    // connections (serve's) like any commit, and the tenant's file (its inode, its -wal) stays
    // the same. See docs/plugin-authors.md.
    bool supports_swap() const override { return true; }
    std::unique_ptr<sightline::plugin::TenantStore> open_beside(const std::string& tenant) override;
    void swap_beside(const std::string& tenant) override;
    void discard_beside(const std::string& tenant) override;

    std::string database_path(const std::string& tenant) const;
    std::string beside_path(const std::string& tenant) const;

private:
    // A connection to path, configured and migrated; created reports whether the file is new.
    // page_size applies to a new database only.
    std::shared_ptr<Connection> connect(const std::string& path, const std::string& label,
                                        int64_t page_size, bool& created) const;

    TargetConfig config_;
    sightline::plugin::HostServices* host_;
};

}  // namespace sightline::target_sqlite
