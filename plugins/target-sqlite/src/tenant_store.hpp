// TenantStore over one SQLite connection to <dir>/<tenant>.sqlite.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "db.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::target_sqlite {

// Not thread-safe: use one store per thread (Target::open is cheap). A LoadTransaction shares the
// store's connection, keeps it alive, and while it is open the store's reads see its rows.
class SqliteTenantStore final : public sightline::plugin::TenantStore {
public:
    explicit SqliteTenantStore(std::shared_ptr<Connection> db);

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
    // False once the database file was removed or replaced (a drop by another process): a store
    // kept for reuse would otherwise go on reading and writing the unlinked file.
    bool alive() override;
    // API 1.5.
    sightline::plugin::DataVersion data_version() override;
    void scan_sales_after(
        uint64_t mark, sightline::plugin::SalesScan& out,
        const std::function<void(const sightline::plugin::Value* row)>& fn) override;
    void scan_catalog(
        const std::function<void(std::string_view item, std::string_view path)>& fn) override;
    void check() override;

private:
    std::shared_ptr<Connection> db_;
    dev_t device_ = 0;
    ino_t inode_ = 0;
};

}  // namespace sightline::target_sqlite
