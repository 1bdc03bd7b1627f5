// TenantStore over one connection to the tenant's database, as the tenant's own role.
#pragma once

#include <memory>
#include <string>

#include "connection.hpp"
#include "dialect.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::target_pg {

// Not thread-safe: use one store per thread (Target::open is cheap enough). A LoadTransaction
// shares the store's connection and keeps it alive; while it is open, the store refuses other
// work on the connection (pqxx allows one transaction at a time).
class PgTenantStore final : public sightline::plugin::TenantStore {
public:
    PgTenantStore(std::shared_ptr<Connection> connection, const Dialect& dialect);

    std::optional<sightline::plugin::FileRecord> find_loaded(const std::string& sha256) override;
    std::unique_ptr<sightline::plugin::LoadTransaction> begin_load(
        const sightline::plugin::LoadSpec& spec) override;
    void record(const sightline::plugin::FileRecord& record) override;
    std::vector<sightline::plugin::FileRecord> history() override;
    sightline::plugin::TenantStats stats() override;
    std::vector<sightline::plugin::Column> custom_columns() override;
    void scan_sales(const std::function<void(const sightline::plugin::Value* row)>& fn) override;
    void query(const std::string& sql, const std::vector<sightline::plugin::Value>& params,
               const std::function<void(const sightline::plugin::SqlRow&)>& row) override;
    sightline::plugin::DeletionResult delete_lines(
        const sightline::plugin::DeletionRequest& request) override;
    std::vector<sightline::plugin::DeletionRecord> deletions() override;
    bool alive() override;
    // API 1.5.
    sightline::plugin::DataVersion data_version() override;
    void scan_sales_after(
        uint64_t mark, sightline::plugin::SalesScan& out,
        const std::function<void(const sightline::plugin::Value* row)>& fn) override;
    void scan_catalog(
        const std::function<void(std::string_view item, std::string_view path)>& fn) override;
    void check() override;

    Connection& connection() { return *connection_; }

private:
    // Throws unless the connection is free for a new transaction.
    void check_idle(const char* what) const;
    // scan_sales() (out null) and scan_sales_after(): with out, the version and the custom
    // columns are read first, in the same snapshot as the lines of files after after_mark.
    void scan_lines(const char* what, uint64_t after_mark, sightline::plugin::SalesScan* out,
                    const std::function<void(const sightline::plugin::Value* row)>& fn);

    std::shared_ptr<Connection> connection_;
    const Dialect& dialect_;
};

}  // namespace sightline::target_pg
