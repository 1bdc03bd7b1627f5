// The load pipeline end to end, in-process, with the bundled archive-fs and target-sqlite:
// refusals leave the tenant exactly as before, the guard keeps nothing, duplicates, full uploads,
// catalogs, tenant isolation.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "sightline/core/sha256.hpp"
#include "sightline/testing/harness.hpp"

namespace fs = std::filesystem;
using sightline::testing::Harness;
using sightline::testing::LoadResult;

namespace {

const char* profile = R"(version: 1
archive: {plugin: archive-fs, config: {root: "{dir}/archive"}}
target: {plugin: target-sqlite, config: {dir: "{dir}/db"}}
tenants:
  - id: acme
  - id: beta
  - id: open
    allow_pii: true
  - id: semi
    delimiter: ";"
)";

const std::string header = "order,timestamp,customer,item,price,quantity,s_channel\n";
const std::string base = header +
                         "A1,2026-01-01T10:00:00Z,1,sku-1,10.50,1,web\n"
                         "A1,2026-01-01T10:00:00Z,1,sku-2,4.25,2,web\n"
                         "B7,2026-02-03,18446744073709551615,sku-1,-10.5,-1,\n";

class Pipeline : public ::testing::Test {
protected:
    Harness h{profile, {SIGHTLINE_BUILD_PLUGIN_DIR}};

    // Everything a reader could see of the tenant's database, as one digest.
    std::string database_digest(const std::string& tenant) {
        sqlite3* db = nullptr;
        const std::string path = h.dir() + "/db/" + tenant + ".sqlite";
        EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
        std::string all;
        for (const char* query :
             {"SELECT * FROM sale_lines ORDER BY id", "SELECT * FROM catalog_items ORDER BY item",
              "SELECT name, sha256, result FROM files WHERE result = 'loaded' ORDER BY id"}) {
            sqlite3_stmt* stmt = nullptr;
            EXPECT_EQ(sqlite3_prepare_v2(db, query, -1, &stmt, nullptr), SQLITE_OK)
                << sqlite3_errmsg(db);
            while (sqlite3_step(stmt) == SQLITE_ROW)
                for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
                    const unsigned char* t = sqlite3_column_text(stmt, i);
                    all += t ? reinterpret_cast<const char*>(t) : "NULL";
                    all += '|';
                }
            sqlite3_finalize(stmt);
        }
        sqlite3_close(db);
        return sightline::core::sha256_hex(all);
    }

    uint64_t lines(const std::string& tenant) { return h.target().open(tenant)->stats().lines; }

    void expect_refused(const std::string& name, const std::string& csv,
                        const std::string& expected_error, const std::string& outcome = "refused") {
        const std::string before = database_digest("acme");
        LoadResult r = h.load_text("acme", name, csv);
        EXPECT_EQ(r.outcome, outcome) << r.message;
        ASSERT_FALSE(r.errors.empty()) << r.message;
        EXPECT_EQ(r.errors[0].rfind(expected_error, 0), 0u) << r.errors[0];
        EXPECT_EQ(database_digest("acme"), before) << "a refused file changed the database";
    }
};

}  // namespace

TEST_F(Pipeline, LoadsAndArchivesTheOriginalBytes) {
    LoadResult r = h.load_text("acme", "sales.csv", base);
    ASSERT_EQ(r.outcome, "loaded") << r.message;
    EXPECT_EQ(r.rows, 3u);
    EXPECT_EQ(r.sha256, sightline::core::sha256_hex(base));
    auto stats = h.target().open("acme")->stats();
    EXPECT_EQ(stats.lines, 3u);
    EXPECT_EQ(stats.customers, 2u);
    EXPECT_EQ(stats.revenue, "4.25");
    ASSERT_TRUE(h.archive().contains("acme", r.sha256));
    auto reader = h.archive().open("acme", r.sha256);
    std::string bytes(1 << 16, '\0');
    bytes.resize(reader->read(bytes.data(), bytes.size()));
    EXPECT_EQ(bytes, base);
    ASSERT_EQ(h.archive().history("acme").size(), 1u);
    EXPECT_NE(h.archive().history("acme")[0].find("\"result\":\"loaded\""), std::string::npos);
}

TEST_F(Pipeline, RefusalsLeaveTheTenantExactlyAsBefore) {
    ASSERT_EQ(h.load_text("acme", "base.csv", base).outcome, "loaded");
    expect_refused("unknown.csv", "order,timestamp,customer,item,price,colour\n",
                   "unknown.csv:1:6 (colour): unknown column 'colour'");
}

TEST_F(Pipeline, EachKindOfBadInputIsRefusedWithFileLineColumnAndReason) {
    ASSERT_EQ(h.load_text("acme", "base.csv", base).outcome, "loaded");
    const std::string before = database_digest("acme");
    struct Case {
        std::string name, csv, error_prefix;
    };
    const std::vector<Case> cases = {
        {"case.csv", "order,timestamp,customer,item,Price\nA,2026-01-01,1,x,1\n",
         "case.csv:1:5 (Price): "},
        {"decimal.csv", header + "A,2026-01-01,1,x,1.1234567,1,\n", "decimal.csv:2:5 (price): "},
        {"time.csv", header + "A,2026-13-01,1,x,1,1,\n", "time.csv:2:2 (timestamp): "},
        {"missing.csv", "order,timestamp,item,price\nA,2026-01-01,x,1\n", "missing.csv"},
        {"customer.csv", header + "A,2026-01-01,18446744073709551616,x,1,1,\n",
         "customer.csv:2:3 (customer): "},
        {"ragged.csv", header + "A,2026-01-01,1,x,1\n", "ragged.csv:2"},
        {"late.csv", header + "A,2026-01-01,1,x,1,1,web\nB,2026-01-01,1,x,1e3,1,web\n",
         "late.csv:3:5 (price): "},
    };
    for (const auto& c : cases) {
        LoadResult r = h.load_text("acme", c.name, c.csv);
        EXPECT_EQ(r.outcome, "refused") << c.name << ": " << r.message;
        ASSERT_FALSE(r.errors.empty()) << c.name;
        EXPECT_EQ(r.errors[0].rfind(c.error_prefix, 0), 0u) << c.name << ": " << r.errors[0];
        EXPECT_EQ(database_digest("acme"), before) << c.name << " changed the database";
    }
    EXPECT_EQ(lines("acme"), 3u);
}

TEST_F(Pipeline, RefusedFilesAreArchivedAndRecorded) {
    LoadResult r = h.load_text("acme", "bad.csv", header + "A,2026-01-01,x,x,1,1,\n");
    ASSERT_EQ(r.outcome, "refused");
    EXPECT_TRUE(h.archive().contains("acme", r.sha256));
    auto history = h.target().open("acme")->history();
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].result, sightline::plugin::FileResult::refused);
    EXPECT_NE(history[0].detail.find("bad.csv:2:3 (customer)"), std::string::npos)
        << history[0].detail;
}

TEST_F(Pipeline, PersonalDataIsRefusedAndNotKeptAnywhere) {
    ASSERT_EQ(h.load_text("acme", "base.csv", base).outcome, "loaded");
    const std::string before = database_digest("acme");
    const std::string by_column =
        "order,timestamp,customer,item,price,s_customer_name\nA,2026-01-01,1,x,1,Ann\n";
    const std::string by_value = header + "A,2026-01-01,1,x,1,1,write to ann.lee@example.com\n";
    for (const auto& [name, csv] :
         {std::pair{"column.csv", by_column}, std::pair{"value.csv", by_value}}) {
        LoadResult r = h.load_text("acme", name, csv);
        EXPECT_EQ(r.outcome, "refused_pii") << name << ": " << r.message;
        EXPECT_FALSE(h.archive().contains("acme", sightline::core::sha256_hex(csv)))
            << name << " was kept";
        EXPECT_EQ(database_digest("acme"), before);
    }
    EXPECT_EQ(h.target().open("acme")->history().size(), 1u)
        << "a guarded file left a history entry";
    // The archive's temporary folder holds nothing of them either.
    for (const auto& entry : fs::recursive_directory_iterator(h.dir() + "/archive")) {
        if (entry.is_regular_file() && entry.path().filename() != "history.jsonl") {
            EXPECT_NE(entry.path().string().find(sightline::core::sha256_hex(base)),
                      std::string::npos)
                << "unexpected file in the archive: " << entry.path();
        }
    }
}

TEST_F(Pipeline, AllowPiiLetsTheSameFilesThrough) {
    const std::string csv =
        "order,timestamp,customer,item,price,s_email\nA,2026-01-01,1,x,1,ann@example.com\n";
    EXPECT_EQ(h.load_text("acme", "pii.csv", csv).outcome, "refused_pii");
    LoadResult r = h.load_text("open", "pii.csv", csv);
    EXPECT_EQ(r.outcome, "loaded") << r.message;
    EXPECT_EQ(lines("open"), 1u);
}

TEST_F(Pipeline, SameBytesUnderAnotherNameAreADuplicate) {
    ASSERT_EQ(h.load_text("acme", "monday.csv", base).outcome, "loaded");
    LoadResult r = h.load_text("acme", "tuesday.csv", base);
    EXPECT_EQ(r.outcome, "duplicate");
    EXPECT_NE(r.message.find("monday.csv"), std::string::npos) << r.message;
    EXPECT_EQ(lines("acme"), 3u);
    EXPECT_EQ(h.target().open("acme")->history().size(), 2u);
}

TEST_F(Pipeline, FullUploadReplacesAndIsAlwaysApplied) {
    ASSERT_EQ(h.load_text("acme", "base.csv", base).outcome, "loaded");
    const std::string full = header + "Z1,2026-03-01,5,sku-9,1,1,shop\n";
    LoadResult r = h.load_text("acme", "full.csv", full, true);
    ASSERT_EQ(r.outcome, "loaded") << r.message;
    EXPECT_EQ(lines("acme"), 1u);
    EXPECT_EQ(h.target().open("acme")->stats().revenue, "1");
    EXPECT_EQ(h.load_text("acme", "full-again.csv", full, true).outcome, "loaded");
    EXPECT_EQ(lines("acme"), 1u);
}

TEST_F(Pipeline, EmptyFullUploadIsRefusedButAnEmptyIncrementalIsFine) {
    ASSERT_EQ(h.load_text("acme", "base.csv", base).outcome, "loaded");
    EXPECT_EQ(h.load_text("acme", "empty.csv", header, true).outcome, "refused");
    EXPECT_EQ(lines("acme"), 3u);
    LoadResult r = h.load_text("acme", "empty.csv", header);
    EXPECT_EQ(r.outcome, "loaded");
    EXPECT_EQ(r.rows, 0u);
    EXPECT_EQ(lines("acme"), 3u);
}

TEST_F(Pipeline, CatalogReplacesTheCatalog) {
    const std::string catalog =
        "item,category,title\nsku-1, Shoes > Running | Sale ,Runner\nsku-2,Socks,Sock\n";
    LoadResult r = h.load_text("acme", "catalog_2026-11-01.csv", catalog);
    ASSERT_EQ(r.outcome, "loaded") << r.message;
    EXPECT_EQ(h.target().open("acme")->stats().catalog_items, 2u);
    ASSERT_EQ(h.load_text("acme", "catalog_2026-11-02.csv", "item,category\nsku-3,Hats\n").outcome,
              "loaded");
    EXPECT_EQ(h.target().open("acme")->stats().catalog_items, 1u);
    EXPECT_EQ(lines("acme"), 0u);
    EXPECT_EQ(h.load_text("acme", "catalog_x.csv", "item,category\na,X\na,Y\n").outcome, "refused");
}

TEST_F(Pipeline, TenantDelimiterIsUsed) {
    LoadResult r =
        h.load_text("semi", "s.csv", "order;timestamp;customer;item;price\nA;2026-01-01;1;x;2,5\n");
    EXPECT_EQ(r.outcome, "refused") << "2,5 is not a decimal";
    r = h.load_text("semi", "s.csv", "order;timestamp;customer;item;price\nA;2026-01-01;1;x;2.5\n");
    EXPECT_EQ(r.outcome, "loaded") << r.message;
}

TEST_F(Pipeline, TenantsNeverMeet) {
    ASSERT_EQ(h.load_text("acme", "base.csv", base).outcome, "loaded");
    EXPECT_EQ(lines("beta"), 0u);
    EXPECT_FALSE(h.archive().contains("beta", sightline::core::sha256_hex(base)));
    // The same bytes are new for another tenant: not a duplicate there.
    EXPECT_EQ(h.load_text("beta", "base.csv", base).outcome, "loaded");
    EXPECT_TRUE(fs::exists(h.dir() + "/db/acme.sqlite"));
    EXPECT_TRUE(fs::exists(h.dir() + "/db/beta.sqlite"));
    for (const std::string bad : {"../x", "ACME", "", "acme/../beta", "nobody"}) {
        LoadResult r = h.load_text(bad, "x.csv", base);
        EXPECT_EQ(r.outcome, "refused") << bad;
        EXPECT_NE(r.message.find("unknown tenant"), std::string::npos) << r.message;
    }
    EXPECT_FALSE(fs::exists(h.dir() + "/db/x.sqlite"));
    EXPECT_FALSE(fs::exists(h.dir() + "/x.sqlite"));
}
