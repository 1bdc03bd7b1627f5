// The Greenplum 7 / Apache Cloudberry dialect: column-oriented, compressed, append-optimized
// sale lines distributed by customer and partitioned by month; small tables distributed by a key
// that their unique constraints include; no foreign keys (Greenplum does not enforce them).
#pragma once

#include <cstdint>
#include <string>

#include "dialect.hpp"

namespace sightline::target_greenplum {

struct GreenplumOptions {
    std::string partition_start = "2020-01-01";  // first monthly partition (inclusive)
    std::string partition_end = "2031-01-01";    // end of the last one (exclusive)
    int64_t compresslevel = 5;                   // zstd level 1..19
};

// Throws Error unless the dates are YYYY-MM-01 with start < end (they are spliced into DDL).
void check_options(const GreenplumOptions& options);

class GreenplumDialect final : public sightline::target_pg::Dialect {
public:
    explicit GreenplumDialect(GreenplumOptions options);
    const char* name() const override { return "greenplum"; }
    const char* plugin_id() const override { return "target-greenplum"; }
    std::string small_table_clause(const char* distribution_key) const override;
    std::string sales_table_clause() const override;
    bool declares_foreign_keys() const override { return false; }

private:
    GreenplumOptions options_;
};

}  // namespace sightline::target_greenplum
