// The TenantStore of target-thirdparty: every call reads the tenant's log (tenant_log.hpp);
// writes take the tenant's writer lock and append to or replace the log (tenant_files.hpp).
#pragma once

#include <memory>
#include <string>

#include "sightline/plugin/target.hpp"
#include "tenant_files.hpp"

namespace sightline::target_thirdparty {

class MemdbStore final : public sightline::plugin::TenantStore {
public:
    explicit MemdbStore(TenantPaths paths) : paths_(std::move(paths)) {}

    std::optional<sightline::plugin::FileRecord> find_loaded(const std::string& sha256) override;
    std::unique_ptr<sightline::plugin::LoadTransaction> begin_load(
        const sightline::plugin::LoadSpec& spec) override;
    void record(const sightline::plugin::FileRecord& record) override;
    std::vector<sightline::plugin::FileRecord> history() override;
    sightline::plugin::TenantStats stats() override;
    std::vector<sightline::plugin::Column> custom_columns() override;
    void scan_sales(const std::function<void(const sightline::plugin::Value* row)>& fn) override;
    // No query language: evaluators that need one decline this target.
    void query(const std::string& sql, const std::vector<sightline::plugin::Value>& params,
               const std::function<void(const sightline::plugin::SqlRow&)>& row) override;
    sightline::plugin::DeletionResult delete_lines(
        const sightline::plugin::DeletionRequest& request) override;
    std::vector<sightline::plugin::DeletionRecord> deletions() override;
    sightline::plugin::DataVersion data_version() override;
    void scan_sales_after(
        uint64_t mark, sightline::plugin::SalesScan& out,
        const std::function<void(const sightline::plugin::Value* row)>& fn) override;
    void scan_catalog(
        const std::function<void(std::string_view item, std::string_view path)>& fn) override;
    void check() override;

private:
    TenantPaths paths_;
};

}  // namespace sightline::target_thirdparty
