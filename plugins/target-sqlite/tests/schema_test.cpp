// The database a tenant gets: file, pragmas, tables, indexes, version, tenant id checks.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "schema.hpp"
#include "test_support.hpp"

namespace sightline::target_sqlite::testing {
namespace {

std::vector<std::string> schema_names(sp::TenantStore& store, const std::string& type) {
    return query_texts(store, "SELECT name FROM sqlite_schema WHERE type = ?1 ORDER BY name",
                       {text_value(type)});
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

TEST(Schema, CreatesTablesIndexesViewAndVersion) {
    Fixture f;
    auto store = f.open();
    const auto tables = schema_names(*store, "table");
    for (const char* t :
         {"files", "custom_columns", "catalog_custom_columns", "sale_lines", "catalog_items",
          "catalog_categories", "schema_version", "deletions", "incarnation"}) {
        EXPECT_TRUE(contains(tables, t)) << t;
    }
    const auto indexes = schema_names(*store, "index");
    for (const char* i : {"files_sha256", "sale_lines_ts", "sale_lines_item",
                          "sale_lines_customer_order", "catalog_categories_path"}) {
        EXPECT_TRUE(contains(indexes, i)) << i;
    }
    EXPECT_TRUE(contains(schema_names(*store, "view"), "sales"));
    EXPECT_EQ(query_int(*store, "SELECT version FROM schema_version"), kSchemaVersion);
    EXPECT_EQ(kSchemaVersion, 3);
}

TEST(Schema, PragmasAreSetOnEveryConnection) {
    Fixture f;
    auto store = f.open();
    EXPECT_EQ(query_texts(*store, "SELECT journal_mode FROM pragma_journal_mode")[0], "wal");
    EXPECT_EQ(query_int(*store, "SELECT * FROM pragma_foreign_keys"), 1);
    EXPECT_EQ(query_int(*store, "SELECT * FROM pragma_synchronous"), 1);  // NORMAL
    EXPECT_GT(query_int(*store, "SELECT * FROM pragma_busy_timeout"), 0);
}

TEST(Schema, SynchronousFullIsConfigurable) {
    TempDir dir;
    TargetConfig config;
    config.dir = dir.path();
    config.synchronous_full = true;
    SqliteTarget target(config, nullptr);
    auto store = target.open("acme");
    EXPECT_EQ(query_int(*store, "SELECT * FROM pragma_synchronous"), 2);  // FULL
}

TEST(Schema, OneDatabaseFilePerTenantPrivateToTheOwner) {
    Fixture f;
    f.open("acme");
    f.open("globex-2_b");
    const std::string dir = f.dir.path() + "/db";
    struct stat st {};
    ASSERT_EQ(stat(dir.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    ASSERT_EQ(stat((dir + "/acme.sqlite").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_TRUE(std::filesystem::exists(dir + "/globex-2_b.sqlite"));
    EXPECT_EQ(f.host.events().size(), 2u);  // one "created" event each
}

TEST(Schema, ReopeningKeepsDataAndDoesNotMigrateAgain) {
    Fixture f;
    {
        auto store = f.open();
        load_sales(*store, {SaleLine{}});
    }
    auto store = f.open();
    EXPECT_EQ(store->stats().lines, 1u);
    EXPECT_EQ(query_int(*store, "SELECT count(*) FROM schema_version"), 1);
}

TEST(Schema, RefusesInvalidTenantIds) {
    Fixture f;
    for (const char* bad : {"", "Acme", "-acme", "_acme", "../acme", "a/b", "a.b", "acme ", "ä"}) {
        EXPECT_THROW(f.open(bad), sp::Error) << bad;
    }
    EXPECT_THROW(f.open(std::string(65, 'a')), sp::Error);
    EXPECT_NO_THROW(f.open(std::string(64, 'a')));
}

TEST(Schema, RefusesADatabaseFromANewerPlugin) {
    Fixture f;
    { auto store = f.open(); }
    {
        Connection db(f.target->database_path("acme"), "test");
        db.exec("UPDATE schema_version SET version = 99");
    }
    try {
        f.open();
        FAIL() << "expected an error";
    } catch (const sp::Error& e) {
        EXPECT_NE(std::string(e.what()).find("schema version 99"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace sightline::target_sqlite::testing
