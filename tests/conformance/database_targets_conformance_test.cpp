// The SDK's target conformance suite against target-postgres when SIGHTLINE_POSTGRES_DSN names an
// administrative connection, and against target-greenplum when SIGHTLINE_GREENPLUM_DSN does (it
// creates and drops one database per tenant and test, named sl_<unique>_<tenant>). Without its
// variable an instantiation's tests are skipped with the reason.
//
// Then the data versions of plugin API 1.5 (DataVersionConformance) against the bundled database
// targets, target-sqlite included: what evaluators that keep a tenant's lines in memory rely on.
#include <stdlib.h>

#include <algorithm>
#include <sightline/testing/target_conformance.hpp>
#include <utility>

// libpqxx 6.4 leaks a PGresult when a statement runs on a connection the server has closed (a
// store whose tenant was dropped, which the restore tests do); the frames are all inside libpq and
// libpqxx (plugins/target-postgres/tests/live_support.cpp has the same hook).
extern "C" const char* __lsan_default_suppressions() { return "leak:libpqxx-6.4.so\n"; }

namespace {

using sightline::testing::TargetConformance;
using sightline::testing::TargetUnderTest;

// A YAML double-quoted scalar: the DSN may hold spaces, quotes or backslashes.
std::string yaml_quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

TargetUnderTest database_target(const char* name, const char* plugin, const char* variable) {
    const char* dsn = ::getenv(variable);
    TargetUnderTest t;
    t.name = name;
    t.plugin_path = {SIGHTLINE_BUILD_PLUGIN_DIR};
    if (!dsn || !*dsn) {
        t.skip_reason = std::string(variable) + " not set";
        return t;
    }
    t.target_yaml = std::string("{plugin: ") + plugin +
                    ", config: {admin_dsn: " + yaml_quoted(dsn) +
                    ", database_prefix: \"sl_{unique}_\"}}";
    return t;
}

INSTANTIATE_TEST_SUITE_P(Databases, TargetConformance,
                         ::testing::Values(database_target("target_postgres", "target-postgres",
                                                           "SIGHTLINE_POSTGRES_DSN"),
                                           database_target("target_greenplum", "target-greenplum",
                                                           "SIGHTLINE_GREENPLUM_DSN")),
                         [](const auto& info) { return info.param.name; });

// --- Plugin API 1.5: data versions, scans after a mark, the catalog, the health check ---------

using sightline::plugin::DataVersion;
using sightline::plugin::DeletionScope;
using sightline::plugin::SalesScan;
using sightline::plugin::TenantStore;
using sightline::plugin::Value;
using sightline::testing::conformance::kSalesHeader;

class DataVersionConformance : public TargetConformance {
protected:
    DataVersion version() { return target().open(kTenant)->data_version(); }

    // A line as text, as the fixture's rows() writes it (custom columns as name=value).
    static std::string line_text(const Value* row,
                                 const std::vector<sightline::plugin::Column>& custom) {
        std::string line = std::string(row[0].s) + "|" + std::to_string(row[1].i) + "|" +
                           std::to_string(row[2].u) + "|" + std::string(row[3].s) + "|" +
                           std::to_string(row[4].i) + "|" + std::to_string(row[5].i);
        for (size_t c = 0; c < custom.size(); ++c) {
            const Value& v = row[sightline::plugin::sales_fixed_columns + c];
            line += "|" + custom[c].name + "=";
            if (!v.present) {
                line += "-";
            } else if (custom[c].type == sightline::plugin::ValueType::string) {
                line += std::string(v.s);
            } else {
                line += std::to_string(v.i);
            }
        }
        return line;
    }

    std::vector<std::string> lines_after(uint64_t mark, SalesScan& scan) {
        std::vector<std::string> out;
        auto store = target().open(kTenant);
        store->scan_sales_after(
            mark, scan, [&](const Value* row) { out.push_back(line_text(row, scan.custom)); });
        return out;
    }

    std::vector<std::pair<std::string, std::string>> catalog_pairs() {
        std::vector<std::pair<std::string, std::string>> out;
        target().open(kTenant)->scan_catalog([&](std::string_view item, std::string_view path) {
            out.emplace_back(std::string(item), std::string(path));
        });
        std::sort(out.begin(), out.end());
        return out;
    }

    void delete_customer(uint64_t customer, bool dry_run) {
        auto request = deletion(DeletionScope::customers, dry_run);
        request.customers = {customer};
        h().delete_lines(kTenant, request);
    }
};

TEST_P(DataVersionConformance, EveryRecordedChangeGivesANewVersion) {
    const DataVersion empty = version();
    ASSERT_TRUE(empty.known());
    EXPECT_EQ(empty.removals, 0u);
    EXPECT_EQ(empty.mark, 0u);
    std::vector<DataVersion> seen = {empty};
    // Each step must give a version never seen before; the marks and removals only grow.
    auto expect_new = [&](const char* step) {
        const DataVersion now = version();
        for (const auto& earlier : seen) EXPECT_NE(now, earlier) << step << ": " << now.text();
        EXPECT_EQ(now.incarnation, empty.incarnation) << step;
        EXPECT_GE(now.mark, seen.back().mark) << step;
        EXPECT_GE(now.removals, seen.back().removals) << step;
        seen.push_back(now);
        return now;
    };

    const std::string first = std::string(kSalesHeader) + "A1,2026-11-01,1,x,1,1\n";
    expect_loaded(load("first.csv", first), 1);
    const DataVersion after_first = expect_new("incremental load");
    EXPECT_GT(after_first.mark, empty.mark);
    EXPECT_EQ(after_first.removals, 0u);

    expect_loaded(load("full.csv", std::string(kSalesHeader) + "B1,2026-11-02,2,x,2,1\n", true), 1);
    const DataVersion after_full = expect_new("full upload");
    EXPECT_GT(after_full.removals, after_first.removals);

    // The same bytes again, as an incremental file: recorded as a duplicate, nothing loaded.
    EXPECT_EQ(load("again.csv", std::string(kSalesHeader) + "B1,2026-11-02,2,x,2,1\n").outcome,
              "duplicate");
    expect_new("duplicate file");
    EXPECT_EQ(load("bad.csv", std::string(kSalesHeader) + "C1,not-a-time,3,x,1,1\n").outcome,
              "refused");
    expect_new("refused file");
    expect_loaded(load("catalog.csv", "item,category\nx,Shoes\n"), 1);
    const DataVersion after_catalog = expect_new("catalog load");

    // Reads, a health check and a dry-run deletion change nothing.
    delete_customer(2, /*dry_run=*/true);
    stats();
    rows();
    history();
    deletions();
    catalog_pairs();
    SalesScan scan;
    lines_after(0, scan);
    target().open(kTenant)->check();
    EXPECT_EQ(version(), after_catalog);

    delete_customer(2, /*dry_run=*/false);
    const DataVersion after_deletion = expect_new("deletion");
    EXPECT_GT(after_deletion.removals, after_catalog.removals);
    EXPECT_EQ(after_deletion.mark, after_catalog.mark);  // a deletion records no file
}

TEST_P(DataVersionConformance, TheIncarnationIsStableAcrossStoresAndNewAfterADrop) {
    expect_loaded(load("first.csv", std::string(kSalesHeader) + "A1,2026-11-01,1,x,1,1\n"), 1);
    DataVersion before;
    {
        // Two stores at once: the second is a new connection to the same storage.
        auto one = target().open(kTenant);
        auto two = target().open(kTenant);
        before = one->data_version();
        EXPECT_EQ(two->data_version(), before);
        EXPECT_EQ(target().open(kOther)->data_version().mark, 0u);
        EXPECT_NE(target().open(kOther)->data_version().incarnation, before.incarnation);
    }
    target().drop(kTenant);
    const DataVersion after = version();
    ASSERT_TRUE(after.known());
    EXPECT_NE(after.incarnation, before.incarnation);
    EXPECT_EQ(after.removals, 0u);
    EXPECT_EQ(after.mark, 0u);
    EXPECT_EQ(version(), after);
}

TEST_P(DataVersionConformance, AScanAfterAMarkGivesExactlyTheLinesLoadedSince) {
    expect_loaded(load("one.csv", sightline::testing::conformance::deletion_data()), 5);
    const DataVersion v = version();
    const std::vector<std::string> before = rows();

    // Later: a catalog, a duplicate, then lines with a custom column the earlier ones lack.
    expect_loaded(load("catalog.csv", "item,category\nx,Shoes\n"), 1);
    EXPECT_EQ(load("one-again.csv", sightline::testing::conformance::deletion_data()).outcome,
              "duplicate");
    expect_loaded(load("two.csv",
                       "order,timestamp,customer,item,price,quantity,s_channel\n"
                       "D4,2026-11-04,3,x,1.5,2,web\nE5,2026-11-05,4,y,2,1,\n"),
                  2);

    SalesScan scan;
    const std::vector<std::string> later = lines_after(v.mark, scan);
    EXPECT_EQ(scan.version, version());
    EXPECT_EQ(scan.version.incarnation, v.incarnation);
    EXPECT_EQ(scan.version.removals, v.removals);  // so the lines after v.mark are the new ones
    const std::vector<std::string> all = rows();
    ASSERT_EQ(all.size(), before.size() + 2);
    EXPECT_EQ(later, std::vector<std::string>(all.begin() + 5, all.end()));
    ASSERT_EQ(later.size(), 2u);
    EXPECT_NE(later[0].find("s_channel=web"), std::string::npos) << later[0];

    // From 0: every line, exactly as scan_sales() gives them, with the same columns.
    SalesScan whole;
    EXPECT_EQ(lines_after(0, whole), all);
    EXPECT_EQ(whole.version, version());
    EXPECT_EQ(whole.custom.size(), target().open(kTenant)->custom_columns().size());

    // After the newest mark: nothing.
    SalesScan none;
    EXPECT_TRUE(lines_after(scan.version.mark, none).empty());
    EXPECT_EQ(none.version, scan.version);
}

TEST_P(DataVersionConformance, AScanOfAnEmptyTenantHasAVersionAndNoLines) {
    SalesScan scan;
    EXPECT_TRUE(lines_after(0, scan).empty());
    EXPECT_EQ(scan.version, version());
    EXPECT_TRUE(scan.version.known());
}

TEST_P(DataVersionConformance, TheCatalogScanGivesOnePairPerCategoryPath) {
    EXPECT_TRUE(catalog_pairs().empty());
    expect_loaded(load("catalog.csv", "item,category\nx,Shoes>Running|Sale\ny,Hats\nz,A|A\n"), 3);
    using Pairs = std::vector<std::pair<std::string, std::string>>;
    EXPECT_EQ(catalog_pairs(),
              (Pairs{{"x", "Sale"}, {"x", "Shoes>Running"}, {"y", "Hats"}, {"z", "A"}}));
    // A new catalog replaces the old one whole.
    expect_loaded(load("catalog2.csv", "item,category\nw,Bags\n"), 1);
    EXPECT_EQ(catalog_pairs(), (Pairs{{"w", "Bags"}}));
}

TEST_P(DataVersionConformance, TheHealthCheckPasses) {
    EXPECT_NO_THROW(target().open(kTenant)->check());
    expect_loaded(load("first.csv", std::string(kSalesHeader) + "A1,2026-11-01,1,x,1,1\n"), 1);
    EXPECT_NO_THROW(target().open(kTenant)->check());
}

TargetUnderTest sqlite_target() {
    TargetUnderTest t;
    t.name = "target_sqlite";
    t.target_yaml = R"({plugin: target-sqlite, config: {dir: "{dir}/db"}})";
    t.plugin_path = {SIGHTLINE_BUILD_PLUGIN_DIR};
    return t;
}

// The third-party-style target of tests/third-party-target (dialect memdb, a log file per tenant).
TargetUnderTest thirdparty_target() {
    TargetUnderTest t;
    t.name = "target_thirdparty";
    t.target_yaml = R"({plugin: target-thirdparty, config: {root: "{dir}/memdb"}})";
    t.plugin_path = {SIGHTLINE_BUILD_DIR "/test-plugins/third-party", SIGHTLINE_BUILD_PLUGIN_DIR};
    return t;
}

INSTANTIATE_TEST_SUITE_P(Databases, DataVersionConformance,
                         ::testing::Values(sqlite_target(), thirdparty_target(),
                                           database_target("target_postgres", "target-postgres",
                                                           "SIGHTLINE_POSTGRES_DSN"),
                                           database_target("target_greenplum", "target-greenplum",
                                                           "SIGHTLINE_GREENPLUM_DSN")),
                         [](const auto& info) { return info.param.name; });

}  // namespace
