// Connection loss in the middle of a load, a database from a newer plugin, and one from an older.
#include <thread>

#include "connection.hpp"
#include "conninfo.hpp"
#include "ddl.hpp"
#include "live_support.hpp"

namespace sightline::target_pg::testing {
namespace {

using FailureTest = LiveTest;

TEST_F(FailureTest, ATerminatedBackendFailsTheLoadTransientlyAndLeavesNothing) {
    auto store = open();
    const auto spec = sales_spec();
    std::vector<SaleLine> lines(2000);
    bool failed = false;
    {
        auto load = store->begin_load(spec);
        append_lines(*load, spec, lines);
        // The load's backend is the tenant role's only connection in COPY.
        admin_exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
                   database_of("acme") + "' AND query LIKE 'COPY%'");
        try {
            for (int i = 0; i < 200; ++i) append_lines(*load, spec, lines);
            load->commit(loaded_record("a.csv", 402000));
        } catch (const sp::Error& e) {
            failed = true;
            EXPECT_TRUE(e.transient()) << e.what();
        }
    }
    ASSERT_TRUE(failed) << "the load survived its backend's termination";
    // The broken store reports the loss transiently as well.
    try {
        store->history();
    } catch (const sp::Error& e) {
        EXPECT_TRUE(e.transient()) << e.what();
    }

    auto fresh = open();
    EXPECT_EQ(count_lines(*fresh), 0u);
    EXPECT_TRUE(fresh->history().empty());
    load_lines(*fresh, lines, "a.csv");
    EXPECT_EQ(count_lines(*fresh), 2000u);
    EXPECT_EQ(fresh->history().size(), 1u);
}

TEST_F(FailureTest, AnUnreachableServerIsTransient) {
    auto unreachable = make_target({{"admin_dsn", "host=127.0.0.1 port=1 connect_timeout=2"}});
    try {
        unreachable->open("acme");
        FAIL() << "expected an Error";
    } catch (const sp::Error& e) {
        EXPECT_TRUE(e.transient()) << e.what();
    }
}

TEST_F(FailureTest, ADatabaseFromANewerPluginIsRefused) {
    open().reset();
    admin_exec("UPDATE schema_version SET version = 99", database_of("acme"));
    try {
        open();
        FAIL() << "expected an Error";
    } catch (const sp::Error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("schema version 99"), std::string::npos) << message;
        EXPECT_NE(message.find("knows up to " + std::to_string(kSchemaVersion)), std::string::npos)
            << message;
        EXPECT_FALSE(e.transient());
    }
}

TEST_F(FailureTest, ADatabaseOfAPlugin14GetsAnIncarnationOnceOnItsFirstOpen) {
    {
        auto store = open();
        load_lines(*store, {SaleLine{}, SaleLine{}});
    }
    // What target-postgres before plugin API 1.5 left: schema version 1, no incarnation.
    admin_exec("DROP TABLE incarnation", database_of("acme"));
    admin_exec("UPDATE schema_version SET version = 1", database_of("acme"));
    auto store = open();
    const sp::DataVersion version = store->data_version();
    EXPECT_EQ(version.incarnation.size(), 32u);
    EXPECT_EQ(version.removals, 0u);
    EXPECT_GT(version.mark, 0u);
    EXPECT_EQ(store->stats().lines, 2u);
    EXPECT_EQ(open()->data_version(), version);  // migrated once: the same from every store
}

TEST_F(FailureTest, ConcurrentFirstOpensCreateTheTenantOnce) {
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    tenants.push_back("acme");
    for (int i = 0; i < 4; ++i) {
        threads.emplace_back([&] {
            try {
                target->open("acme");
            } catch (const std::exception& e) {
                ADD_FAILURE() << e.what();
                ++failures;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(host.logs("target.tenant_database_created").size(), 1u);
}

}  // namespace
}  // namespace sightline::target_pg::testing
