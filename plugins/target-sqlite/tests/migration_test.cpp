// Schema migrations: a database written by an older plugin is brought up to date on open, once,
// keeping its data.
#include <gtest/gtest.h>

#include "schema.hpp"
#include "test_support.hpp"

namespace sightline::target_sqlite::testing {
namespace {

// Turns a current database back into what the version 1 plugin left: the same tables minus those
// that later steps added.
void downgrade_to_v1(const std::string& path) {
    Connection db(path, "test");
    db.exec("DROP TABLE deletions");
    db.exec("DROP TABLE incarnation");
    db.exec("UPDATE schema_version SET version = 1");
}

// What the version 2 plugin (API 1.1 to 1.4) left: no incarnation table.
void downgrade_to_v2(const std::string& path) {
    Connection db(path, "test");
    db.exec("DROP TABLE incarnation");
    db.exec("UPDATE schema_version SET version = 2");
}

TEST(Migration, AVersion1DatabaseGetsTheDeletionsTableAndKeepsItsData) {
    Fixture f;
    {
        auto store = f.open();
        load_sales(*store, {SaleLine{}, SaleLine{}}, "old.csv");
        load_catalog(*store, {{"a", "X", {}, {}, {}}});
    }
    downgrade_to_v1(f.target->database_path("acme"));

    auto store = f.open();
    EXPECT_EQ(query_int(*store, "SELECT version FROM schema_version"), kSchemaVersion);
    EXPECT_EQ(query_int(*store, "SELECT count(*) FROM schema_version"), 1);
    EXPECT_EQ(store->stats().lines, 2u);
    EXPECT_EQ(store->stats().catalog_items, 1u);
    ASSERT_EQ(store->history().size(), 2u);
    EXPECT_EQ(store->history()[0].name, "old.csv");
    EXPECT_TRUE(store->deletions().empty());

    sp::DeletionRequest r;
    r.scope = sp::DeletionScope::customers;
    r.customers = {1};
    r.id = "after-migration";
    EXPECT_EQ(store->delete_lines(r).lines, 2u);
    EXPECT_EQ(f.open()->deletions().size(), 1u);
}

TEST(Migration, AVersion1DatabaseIsMigratedOnceAcrossConnections) {
    Fixture f;
    { auto store = f.open(); }
    downgrade_to_v1(f.target->database_path("acme"));
    auto first = f.open();
    auto second = f.open();  // finds version 2: no second CREATE TABLE (which would fail)
    EXPECT_TRUE(second->deletions().empty());
    EXPECT_EQ(query_int(*second, "SELECT version FROM schema_version"), kSchemaVersion);
}

TEST(Migration, AVersion2DatabaseGetsAnIncarnationOnceAndKeepsItsData) {
    Fixture f;
    {
        auto store = f.open();
        load_sales(*store, {SaleLine{}, SaleLine{}}, "old.csv");
    }
    downgrade_to_v2(f.target->database_path("acme"));

    auto store = f.open();
    EXPECT_EQ(query_int(*store, "SELECT version FROM schema_version"), kSchemaVersion);
    const sp::DataVersion version = store->data_version();
    EXPECT_EQ(version.incarnation.size(), 32u);
    EXPECT_EQ(version.removals, 0u);
    EXPECT_EQ(version.mark, 1u);
    EXPECT_EQ(store->stats().lines, 2u);
    // Stable from then on, for every connection.
    EXPECT_EQ(f.open()->data_version(), version);
    EXPECT_EQ(query_int(*store, "SELECT count(*) FROM incarnation"), 1);
}

}  // namespace
}  // namespace sightline::target_sqlite::testing
