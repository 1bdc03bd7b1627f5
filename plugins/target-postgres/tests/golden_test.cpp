// The PostgreSQL dialect's generated SQL, pinned by tests/golden/postgresql.sql.
#include "golden_sql.hpp"

namespace sightline::target_pg::testing {
namespace {

TEST(Golden, PostgresqlSql) {
    expect_golden(std::string(TARGET_PG_GOLDEN_DIR) + "/postgresql.sql",
                  render_golden_sql(postgres_dialect()));
}

}  // namespace
}  // namespace sightline::target_pg::testing
