#include "dialect.hpp"

namespace sightline::target_pg {

namespace {

class PostgresDialect final : public Dialect {
public:
    const char* name() const override { return "postgresql"; }
    const char* plugin_id() const override { return "target-postgres"; }
    std::string small_table_clause(const char*) const override { return ""; }
    std::string sales_table_clause() const override { return ""; }
    bool declares_foreign_keys() const override { return true; }
};

}  // namespace

const Dialect& postgres_dialect() {
    static const PostgresDialect dialect;
    return dialect;
}

}  // namespace sightline::target_pg
