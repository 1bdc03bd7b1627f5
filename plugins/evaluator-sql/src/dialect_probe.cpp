#include "dialect_probe.hpp"

#include <string>

#include "sightline/plugin/api.hpp"

namespace sightline::evaluator_sql {

namespace {

std::string first_text(plugin::TenantStore& store, const std::string& sql) {
    std::string out;
    store.query(sql, {}, [&](const plugin::SqlRow& row) {
        if (out.empty() && row.size() > 0 && !row.is_null(0)) out = std::string(row.get_text(0));
    });
    return out;
}

}  // namespace

Dialect detect_dialect(plugin::TenantStore& store) {
    const std::string truth = first_text(store, "SELECT CAST(1 = 1 AS TEXT)");
    if (truth == "1") return Dialect::sqlite;
    if (truth == "true") {
        const std::string version = first_text(store, "SELECT version()");
        if (version.find("Greenplum") != std::string::npos ||
            version.find("Cloudberry") != std::string::npos) {
            return Dialect::greenplum;
        }
        return Dialect::postgresql;
    }
    throw plugin::Error(
        "evaluator-sql: cannot tell the target's SQL dialect ('SELECT CAST(1 = 1 "
        "AS TEXT)' gave '" +
        truth + "'; expected SQLite or PostgreSQL)");
}

}  // namespace sightline::evaluator_sql
