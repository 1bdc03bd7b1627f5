// Target conformance, part 1: loading semantics (sales-data.md "Loading semantics") as the host
// drives them, seen through the public TenantStore API.
#pragma once

#include <atomic>
#include <thread>

#include "sightline/testing/conformance/target_fixture.hpp"

namespace sightline::testing {

TEST_P(TargetConformance, LoadsAFileAndRecordsIt) {
    const std::string csv = std::string(conformance::kSalesHeader) +
                            "A1,2026-11-01,1,sku-1,19.99,1\n"
                            "A1,2026-11-01T10:00:00.123456Z,1,sku-2,0.01,2\n"
                            "B2,2026-11-02T01:00:00+01:00,2,sku-1,-5,-1\n";
    const LoadResult r = load("sales.csv", csv);
    expect_loaded(r, 3);
    const auto s = stats();
    EXPECT_EQ(s.lines, 3u);
    EXPECT_EQ(s.customers, 2u);
    EXPECT_EQ(s.revenue, "15");
    EXPECT_EQ(rows(), (std::vector<std::string>{"A1|1793491200000000|1|sku-1|19990000|1000000",
                                                "A1|1793527200123456|1|sku-2|10000|2000000",
                                                "B2|1793577600000000|2|sku-1|-5000000|-1000000"}));
    const auto files = target().open(kTenant)->history();
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0].name, "sales.csv");
    EXPECT_EQ(files[0].sha256, r.sha256);
    EXPECT_EQ(files[0].result, plugin::FileResult::loaded);
    EXPECT_EQ(files[0].kind, plugin::FileKind::sales);
    EXPECT_EQ(files[0].mode, plugin::LoadMode::incremental);
    EXPECT_EQ(files[0].rows, 3u);
    EXPECT_EQ(files[0].bytes, csv.size());
}

TEST_P(TargetConformance, AFileWithoutRecordsAddsNothing) {
    expect_loaded(load("empty.csv", conformance::kSalesHeader), 0);
    EXPECT_EQ(stats().lines, 0u);
}

TEST_P(TargetConformance, ARefusedFileNamesFileLineAndColumnAndLoadsNothing) {
    expect_loaded(
        load("good.csv", std::string(conformance::kSalesHeader) + "A1,2026-11-01,1,sku-1,1.5,1\n"),
        1);
    const LoadResult r = load("bad.csv", std::string(conformance::kSalesHeader) +
                                             "B1,2026-11-01,2,sku-1,2.5,1\n"
                                             "B2,2026-11-01,3,sku-1,abc,1\n");
    EXPECT_EQ(r.outcome, "refused");
    ASSERT_FALSE(r.errors.empty()) << r.message;
    EXPECT_EQ(r.errors[0].rfind("bad.csv:3:5 (price): ", 0), 0u) << r.errors[0];
    EXPECT_EQ(rows(), std::vector<std::string>{"A1|1793491200000000|1|sku-1|1500000|1000000"});
    const auto files = target().open(kTenant)->history();
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[1].result, plugin::FileResult::refused);
    EXPECT_EQ(files[1].rows, 0u);
}

TEST_P(TargetConformance, TheSameBytesAgainAreADuplicateButAFullUploadIsApplied) {
    const std::string csv = std::string(conformance::kSalesHeader) + "A1,2026-11-01,1,x,1,1\n";
    const LoadResult first = load("a.csv", csv);
    expect_loaded(first, 1);
    const LoadResult again = load("renamed.csv", csv);
    EXPECT_EQ(again.outcome, "duplicate") << again.message;
    EXPECT_EQ(stats().lines, 1u);
    const auto files = target().open(kTenant)->history();
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[1].result, plugin::FileResult::duplicate);
    EXPECT_EQ(files[1].sha256, first.sha256);
    ASSERT_TRUE(target().open(kTenant)->find_loaded(first.sha256).has_value());

    const LoadResult full = load("full.csv", csv, /*full=*/true);
    expect_loaded(full, 1);
    EXPECT_EQ(stats().lines, 1u);  // replaced by the same line, not added
}

TEST_P(TargetConformance, AFullUploadReplacesAllSalesLines) {
    expect_loaded(load("a.csv", std::string(conformance::kSalesHeader) +
                                    "A1,2026-11-01,1,x,1,1\nA2,2026-11-01,2,x,2,1\n"),
                  2);
    expect_loaded(
        load("b.csv", std::string(conformance::kSalesHeader) + "B1,2026-11-02,3,y,7.5,1\n",
             /*full=*/true),
        1);
    EXPECT_EQ(rows(), std::vector<std::string>{"B1|1793577600000000|3|y|7500000|1000000"});
    EXPECT_EQ(stats().revenue, "7.5");
    const auto files = target().open(kTenant)->history();
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[1].mode, plugin::LoadMode::full);
}

// The harness does not expose the host's "force" of an empty full upload, so only the refusal
// is checked here.
TEST_P(TargetConformance, AnEmptyFullUploadIsRefused) {
    expect_loaded(load("a.csv", std::string(conformance::kSalesHeader) + "A1,2026-11-01,1,x,1,1\n"),
                  1);
    const LoadResult r = load("empty.csv", conformance::kSalesHeader, /*full=*/true);
    EXPECT_EQ(r.outcome, "refused") << r.message;
    EXPECT_EQ(stats().lines, 1u);
}

TEST_P(TargetConformance, ACatalogReplacesTheWholeCatalog) {
    expect_loaded(load("catalog_1.csv",
                       "item,category,title,brand\n"
                       "a,Shoes>Running|Sale,Runner,ACME\n"
                       "b,Shoes,,\n"
                       "c,Hats,Cap,\n"),
                  3);
    EXPECT_EQ(stats().catalog_items, 3u);
    expect_loaded(load("catalog_2.csv", "item,category\nd,Bags\ne,Bags > Small\n"), 2);
    const auto s = stats();
    EXPECT_EQ(s.catalog_items, 2u);
    EXPECT_EQ(s.lines, 0u);  // a catalog is not sales data
    const auto files = target().open(kTenant)->history();
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[1].kind, plugin::FileKind::catalog);
}

TEST_P(TargetConformance, CustomFieldsOfEveryTypeRoundTripExactly) {
    const std::string csv =
        "order,timestamp,customer,item,price,s_channel,i_points,f_margin,d_shipped\n"
        "A1,2026-11-01,1,x,1,web,-9223372036854775808,999999999999.999999,"
        "2026-11-01T10:00:00.123456Z\n"
        "A2,2026-11-01,1,x,1,\"a, \"\"quoted\"\" ünïcode\",9223372036854775807,"
        "-0.000001,1969-12-31T23:59:59.999999Z\n"
        "A3,2026-11-01,1,x,1,,,,\n";
    expect_loaded(load("custom.csv", csv), 3);
    auto store = target().open(kTenant);
    const auto custom = store->custom_columns();
    ASSERT_EQ(custom.size(), 4u);
    EXPECT_EQ(custom[0].name, "s_channel");
    EXPECT_EQ(custom[0].type, plugin::ValueType::string);
    EXPECT_EQ(custom[1].type, plugin::ValueType::int64);
    EXPECT_EQ(custom[2].type, plugin::ValueType::decimal);
    EXPECT_EQ(custom[3].type, plugin::ValueType::timestamp);
    EXPECT_EQ(rows(), (std::vector<std::string>{
                          "A1|1793491200000000|1|x|1000000|1000000|s_channel=web|"
                          "i_points=-9223372036854775808|f_margin=999999999999999999|"
                          "d_shipped=1793527200123456",
                          "A2|1793491200000000|1|x|1000000|1000000|"
                          "s_channel=a, \"quoted\" ünïcode|i_points=9223372036854775807|"
                          "f_margin=-1|d_shipped=-1",
                          "A3|1793491200000000|1|x|1000000|1000000|s_channel=-|i_points=-|"
                          "f_margin=-|d_shipped=-"}));
    // A later file with other custom columns: earlier lines read as missing there.
    expect_loaded(load("more.csv",
                       "order,timestamp,customer,item,price,i_points,s_other\n"
                       "A4,2026-11-01,1,x,1,5,z\n"),
                  1);
    const auto all = rows();
    ASSERT_EQ(all.size(), 4u);
    EXPECT_EQ(all[3],
              "A4|1793491200000000|1|x|1000000|1000000|s_channel=-|i_points=5|f_margin=-|"
              "d_shipped=-|s_other=z");
}

TEST_P(TargetConformance, CustomerIdsKeepAllSixtyFourBits) {
    expect_loaded(load("ids.csv", std::string(conformance::kSalesHeader) +
                                      "A,2026-11-01,0,x,1,1\n"
                                      "B,2026-11-01,9223372036854775807,x,1,1\n"
                                      "C,2026-11-01,9223372036854775808,x,1,1\n"
                                      "D,2026-11-01,18446744073709551615,x,1,1\n"),
                  4);
    std::vector<uint64_t> ids;
    target().open(kTenant)->scan_sales([&](const plugin::Value* row) { ids.push_back(row[2].u); });
    EXPECT_EQ(ids, (std::vector<uint64_t>{0, 9223372036854775807ULL, 9223372036854775808ULL,
                                          18446744073709551615ULL}));
    EXPECT_EQ(stats().customers, 4u);
    auto r = deletion(plugin::DeletionScope::customers);
    r.customers = {18446744073709551615ULL, 9223372036854775808ULL};
    expect_result(h().delete_lines(kTenant, r), 2, 2, 2, "2");
    ids.clear();
    target().open(kTenant)->scan_sales([&](const plugin::Value* row) { ids.push_back(row[2].u); });
    EXPECT_EQ(ids, (std::vector<uint64_t>{0, 9223372036854775807ULL}));
}

TEST_P(TargetConformance, TotalsOfAGeneratedDatasetAreExact) {
    // A seeded generator (xorshift64*), so that every run and every target sees the same file.
    uint64_t state = 0x5EED5EED12345678ULL;
    auto next = [&state] {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        return state * 2685821657736338717ULL;
    };
    std::string csv = conformance::kSalesHeader;
    int64_t total = 0;  // millionths; 20,000 lines below 10^6 each stay far from overflow
    std::vector<bool> seen(5000, false);
    uint64_t customers = 0;
    for (int i = 0; i < 20000; ++i) {
        const uint64_t customer = next() % 5000;
        const int64_t price = static_cast<int64_t>(next() % 2000000000000ULL) - 1000000000000LL;
        total += price;
        if (!seen[customer]) {
            seen[customer] = true;
            ++customers;
        }
        const uint64_t magnitude =
            price < 0 ? uint64_t{0} - static_cast<uint64_t>(price) : static_cast<uint64_t>(price);
        std::string fraction = std::to_string(magnitude % 1000000);
        fraction.insert(0, 6 - fraction.size(), '0');
        csv += "O" + std::to_string(i) + ",2026-11-01T" + std::to_string(10 + i % 10) + ":00:00Z," +
               std::to_string(customer) + ",sku-" + std::to_string(next() % 100) + "," +
               (price < 0 ? "-" : "") + std::to_string(magnitude / 1000000) + "." + fraction +
               ",1\n";
    }
    expect_loaded(load("generated.csv", csv), 20000);
    const auto s = stats();
    EXPECT_EQ(s.lines, 20000u);
    EXPECT_EQ(s.customers, customers);
    EXPECT_EQ(s.revenue, conformance::millionths_text(total));
}

TEST_P(TargetConformance, ReadersNeverSeeAPartialFile) {
    std::string base = conformance::kSalesHeader;
    for (int i = 0; i < 1000; ++i) base += "B" + std::to_string(i) + ",2026-11-01,1,x,1,1\n";
    expect_loaded(load("base.csv", base), 1000);
    std::string big = conformance::kSalesHeader;
    for (int i = 0; i < 50000; ++i) {
        big += "N" + std::to_string(i) + ",2026-11-02," + std::to_string(i) + ",y,2,1\n";
    }

    std::atomic<bool> loading{true};
    std::atomic<uint64_t> reads{0};
    std::vector<std::string> problems;  // only the reader thread writes it before join()
    std::thread reader([&] {
        try {
            auto store = target().open(kTenant);  // its own store, as every thread must
            do {
                const auto s = store->stats();
                const bool before = s.lines == 1000 && s.revenue == "1000";
                const bool after = s.lines == 51000 && s.revenue == "101000";
                if (!before && !after) {
                    problems.push_back("saw " + std::to_string(s.lines) + " lines, revenue " +
                                       s.revenue);
                }
                ++reads;
            } while (loading.load());
        } catch (const std::exception& e) {
            problems.push_back(std::string("reader failed: ") + e.what());
        }
    });
    const LoadResult r = load("big.csv", big);
    loading = false;
    reader.join();
    expect_loaded(r, 50000);
    EXPECT_TRUE(problems.empty()) << problems.front();
    EXPECT_GT(reads.load(), 0u);
    EXPECT_EQ(stats().lines, 51000u);
}

TEST_P(TargetConformance, DropGivesAnEmptyTenant) {
    expect_loaded(load("a.csv", std::string(conformance::kSalesHeader) + "A1,2026-11-01,1,x,1,1\n"),
                  1);
    target().drop(kTenant);
    auto store = target().open(kTenant);
    const auto s = store->stats();
    EXPECT_EQ(s.lines, 0u);
    EXPECT_EQ(s.customers, 0u);
    EXPECT_EQ(s.revenue, "0");
    EXPECT_TRUE(store->history().empty());
    EXPECT_TRUE(store->deletions().empty());
}

TEST_P(TargetConformance, TenantsAreIsolated) {
    expect_loaded(load("a.csv", std::string(conformance::kSalesHeader) + "A1,2026-11-01,1,x,1,1\n"),
                  1);
    expect_loaded(load("b.csv",
                       std::string(conformance::kSalesHeader) +
                           "B1,2026-11-01,2,y,2,1\nB2,2026-11-01,3,y,3,1\n",
                       false, kOther),
                  2);
    EXPECT_EQ(rows(), std::vector<std::string>{"A1|1793491200000000|1|x|1000000|1000000"});
    EXPECT_EQ(stats(kOther).lines, 2u);
    EXPECT_EQ(history(kOther).size(), 1u);
    // The same bytes are not a duplicate in another tenant.
    expect_loaded(load("a.csv", std::string(conformance::kSalesHeader) + "A1,2026-11-01,1,x,1,1\n",
                       false, kOther),
                  1);
    auto r = deletion(plugin::DeletionScope::orders);
    r.orders = {"A1", "B1"};
    expect_result(h().delete_lines(kTenant, r), 1, 1, 1, "1");
    EXPECT_EQ(stats(kOther).lines, 3u);
    EXPECT_TRUE(deletions(kOther).empty());
    target().drop(kTenant);
    EXPECT_EQ(stats(kOther).lines, 3u);
}

// API 1.4: the host refuses a profile in which two tenants would share storage, from the names
// the target gives; it keeps idle stores for reuse, asking them whether they are alive.
TEST_P(TargetConformance, NamesEachTenantsStorageApartWithoutOpeningIt) {
    const std::string a = target().storage_name(kTenant);
    EXPECT_FALSE(a.empty()) << "a target built for API 1.4 names each tenant's storage";
    EXPECT_NE(a, target().storage_name(kOther));
    EXPECT_EQ(a, target().storage_name(kTenant)) << "the same tenant, the same name";
    EXPECT_NE(a, target().storage_name("acme2"));
}

TEST_P(TargetConformance, AStoreInUseIsAlive) {
    expect_loaded(load("a.csv", std::string(conformance::kSalesHeader) + "A1,2026-11-01,1,x,1,1\n"),
                  1);
    auto store = target().open(kTenant);
    EXPECT_TRUE(store->alive());
    EXPECT_EQ(store->stats().lines, 1u);
    EXPECT_TRUE(store->alive()) << "still alive after a call";
}

}  // namespace sightline::testing
