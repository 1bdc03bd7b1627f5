// Target::drop(): the tenant's database, WAL and shared-memory files go; the next open() starts
// empty; other tenants are untouched.
#include <gtest/gtest.h>

#include <filesystem>

#include "test_support.hpp"

namespace sightline::target_sqlite::testing {
namespace {

namespace fs = std::filesystem;

TEST(Drop, RemovesTheDatabaseAndItsWalAndShm) {
    Fixture f;
    const std::string path = f.target->database_path("acme");
    {
        auto store = f.open();
        load_sales(*store, {SaleLine{}});
        EXPECT_TRUE(fs::exists(path + "-wal"));  // WAL mode: the store keeps it while open
        EXPECT_TRUE(fs::exists(path + "-shm"));
    }
    // A WAL that outlived its connection (a crashed process) must go too.
    fs::copy_file(path, path + "-wal", fs::copy_options::overwrite_existing);
    f.target->drop("acme");
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        EXPECT_FALSE(fs::exists(path + suffix)) << suffix;
    }
    EXPECT_EQ(f.host.events().back(), "target.tenant_database_dropped");
}

TEST(Drop, TheNextOpenGivesAnEmptyTenant) {
    Fixture f;
    {
        auto store = f.open();
        load_sales(*store, {SaleLine{}, SaleLine{}});
        load_catalog(*store, {{"a", "X", {}, {}, {}}});
        sp::DeletionRequest r;
        r.scope = sp::DeletionScope::customers;
        r.customers = {1};
        r.id = "d";
        store->delete_lines(r);
    }
    f.target->drop("acme");
    auto store = f.open();
    const auto stats = store->stats();
    EXPECT_EQ(stats.lines, 0u);
    EXPECT_EQ(stats.catalog_items, 0u);
    EXPECT_TRUE(store->history().empty());
    EXPECT_TRUE(store->deletions().empty());
    EXPECT_TRUE(store->custom_columns().empty());
    load_sales(*store, {SaleLine{}});  // and it works as a new one
    EXPECT_EQ(store->stats().lines, 1u);
}

TEST(Drop, LeavesOtherTenantsAlone) {
    Fixture f;
    load_sales(*f.open("acme"), {SaleLine{}});
    load_sales(*f.open("acme-2"), {SaleLine{}, SaleLine{}});
    f.target->drop("acme");
    EXPECT_EQ(f.open("acme-2")->stats().lines, 2u);
    EXPECT_EQ(f.open("acme")->stats().lines, 0u);
}

TEST(Drop, AnUnknownTenantIsFineAndABadIdIsRefused) {
    Fixture f;
    EXPECT_NO_THROW(f.target->drop("never-opened"));
    EXPECT_NO_THROW(f.target->drop("never-opened"));
    for (const char* bad : {"", "../acme", "Acme", "a/b"}) {
        EXPECT_THROW(f.target->drop(bad), sp::Error) << bad;
    }
}

}  // namespace
}  // namespace sightline::target_sqlite::testing
