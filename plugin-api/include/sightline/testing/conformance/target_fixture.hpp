// The fixture of the target conformance suite (target_conformance.hpp): the parameter, the
// profile it builds, and helpers that read a tenant through the public TenantStore API only.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "sightline/plugin/target.hpp"
#include "sightline/testing/harness.hpp"

namespace sightline::testing {

// One target configuration to check.
struct TargetUnderTest {
    std::string name;  // shown in test names: letters, digits and '_' only
    // The profile's `target:` section as flow YAML, e.g.
    //   {plugin: target-sqlite, config: {dir: "{dir}/db"}}
    // "{dir}" becomes the harness's temporary folder; "{unique}" a token unique to the test
    // (t<pid>_<n>), so that test processes running in parallel against one database server use
    // different databases.
    std::string target_yaml;
    // Folders to find plugins in: the plugin under test and the SDK's bundled plugins
    // (SightlinePluginAPI_PLUGIN_DIR), for the archive-fs archive the suite uses.
    std::vector<std::string> plugin_path;
    // Non-empty: every test is skipped with this reason (e.g. "SIGHTLINE_POSTGRES_DSN not set").
    std::string skip_reason;
};

// So that a failing test's parameter prints readably.
inline void PrintTo(const TargetUnderTest& t, std::ostream* os) { *os << t.name; }

namespace conformance {

// A token unique to this process and call: "t<pid>_<n>", safe in database and file names.
inline std::string unique_token() {
    static std::atomic<unsigned> counter{0};
    return "t" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
}

inline std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size()) {
        text.replace(at, from.size(), to);
    }
    return text;
}

// Shortest exact decimal text of a count of millionths, as stats().revenue gives it.
inline std::string millionths_text(int64_t m) {
    // The magnitude in unsigned arithmetic: -INT64_MIN does not fit in int64.
    const uint64_t v = m < 0 ? uint64_t{0} - static_cast<uint64_t>(m) : static_cast<uint64_t>(m);
    std::string fraction = std::to_string(v % 1000000);
    fraction.insert(0, 6 - fraction.size(), '0');
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
    return (m < 0 ? "-" : "") + std::to_string(v / 1000000) +
           (fraction.empty() ? "" : "." + fraction);
}

constexpr const char* kSalesHeader = "order,timestamp,customer,item,price,quantity\n";
constexpr int64_t kNov1 = 1793491200000000;  // 2026-11-01T00:00:00Z in µs
constexpr int64_t kDay = 86400000000;
// Three customers; order A1 exists under customers 1 and 2 (two orders); one refund line.
inline std::string deletion_data() {
    return std::string(kSalesHeader) +
           "A1,2026-11-01T10:00:00Z,1,x,0.1,1\n"
           "A1,2026-11-01T11:00:00Z,1,y,0.2,1\n"
           "A1,2026-11-02T10:00:00Z,2,x,5,1\n"
           "B2,2026-11-02T12:00:00Z,3,x,-0.000001,1\n"
           "C3,2026-11-03T10:00:00Z,18446744073709551615,z,7.25,1\n";
}
}  // namespace conformance

class TargetConformance : public ::testing::TestWithParam<TargetUnderTest> {
protected:
    static constexpr const char* kTenant = "acme";
    static constexpr const char* kOther = "beta";
    static constexpr const char* kCopy = "copy";  // the second target section, for restores

    void SetUp() override {
        if (!GetParam().skip_reason.empty()) GTEST_SKIP() << GetParam().skip_reason;
        harness_ = std::make_unique<Harness>(profile(false), GetParam().plugin_path);
    }

    void TearDown() override {
        // Databases on a server outlive the test: remove what the test made (best effort).
        if (!harness_) return;
        for (const char* tenant : {kTenant, kOther}) {
            try {
                harness_->target().drop(tenant);
                if (with_copy_) harness_->target(kCopy).drop(tenant);
            } catch (...) {
            }
        }
        harness_.reset();
    }

    // The profile: archive-fs (uncompressed, so that tests can damage an object on purpose), the
    // target under test, and with_copy a second section of it under `targets: {copy: ...}` whose
    // "{dir}" is "{dir}/copy" and whose "{unique}" is another token.
    std::string profile(bool with_copy) const {
        const std::string& section = GetParam().target_yaml;
        std::string text =
            "version: 1\n"
            "archive: {plugin: archive-fs, config: {root: \"{dir}/archive\", "
            "compression: none, fsync: false}}\n"
            "target: " +
            conformance::replace_all(section, "{unique}", conformance::unique_token()) + "\n";
        if (with_copy) {
            text +=
                std::string("targets:\n  ") + kCopy + ": " +
                conformance::replace_all(conformance::replace_all(section, "{dir}", "{dir}/copy"),
                                         "{unique}", conformance::unique_token()) +
                "\n";
        }
        return text + "tenants: [{id: " + kTenant + "}, {id: " + kOther + "}]\n";
    }

    // Replaces the harness with one whose profile also has the `copy` target section.
    void use_copy_target() {
        harness_.reset();
        with_copy_ = true;
        harness_ = std::make_unique<Harness>(profile(true), GetParam().plugin_path);
    }

    Harness& h() { return *harness_; }

    LoadResult load(const std::string& name, const std::string& csv, bool full = false,
                    const std::string& tenant = kTenant) {
        return h().load_text(tenant, name, csv, full);
    }
    void expect_loaded(const LoadResult& r, uint64_t rows) {
        EXPECT_EQ(r.outcome, "loaded") << r.message;
        EXPECT_EQ(r.rows, rows) << r.message;
    }

    plugin::Target& target(const std::string& section = "") {
        return section.empty() ? h().target() : h().target(section);
    }
    plugin::TenantStats stats(const std::string& tenant = kTenant,
                              const std::string& section = "") {
        return target(section).open(tenant)->stats();
    }

    // Every sales line as text: the fixed columns, then the custom columns as name=value
    // (integers for every non-string type, "-" when missing), in scan order.
    std::vector<std::string> rows(const std::string& tenant = kTenant,
                                  const std::string& section = "") {
        auto store = target(section).open(tenant);
        const std::vector<plugin::Column> custom = store->custom_columns();
        std::vector<std::string> out;
        store->scan_sales([&](const plugin::Value* row) {
            std::string line = std::string(row[0].s) + "|" + std::to_string(row[1].i) + "|" +
                               std::to_string(row[2].u) + "|" + std::string(row[3].s) + "|" +
                               std::to_string(row[4].i) + "|" + std::to_string(row[5].i);
            for (size_t c = 0; c < custom.size(); ++c) {
                const plugin::Value& v = row[plugin::sales_fixed_columns + c];
                line += "|" + custom[c].name + "=";
                if (!v.present) {
                    line += "-";
                } else if (custom[c].type == plugin::ValueType::string) {
                    line += std::string(v.s);
                } else {
                    line += std::to_string(v.i);
                }
            }
            out.push_back(line);
        });
        return out;
    }

    std::vector<std::string> history(const std::string& tenant = kTenant,
                                     const std::string& section = "") {
        std::vector<std::string> out;
        for (const auto& r : target(section).open(tenant)->history()) {
            out.push_back(r.name + "|" + r.sha256 + "|" + plugin::to_string(r.kind) + "|" +
                          plugin::to_string(r.mode) + "|" + plugin::to_string(r.result) + "|" +
                          std::to_string(r.at_us) + "|" + std::to_string(r.rows) + "|" +
                          std::to_string(r.bytes) + "|" + r.detail);
        }
        return out;
    }

    std::vector<std::string> deletions(const std::string& tenant = kTenant,
                                       const std::string& section = "") {
        std::vector<std::string> out;
        for (const auto& d : target(section).open(tenant)->deletions()) {
            out.push_back(d.id + "|" + plugin::to_string(d.scope) + "|" + d.reason + "|" +
                          d.operator_name + "|" + std::to_string(d.at_us) + "|" +
                          std::to_string(d.removed.lines) + "|" + std::to_string(d.removed.orders) +
                          "|" + std::to_string(d.removed.customers) + "|" + d.removed.revenue);
        }
        return out;
    }

    static plugin::DeletionRequest deletion(plugin::DeletionScope scope, bool dry_run = false) {
        plugin::DeletionRequest r;
        r.scope = scope;
        r.dry_run = dry_run;
        r.reason = "conformance test";
        r.operator_name = "tester";
        return r;
    }

    static void expect_result(const plugin::DeletionResult& r, uint64_t lines, uint64_t orders,
                              uint64_t customers, const std::string& revenue) {
        EXPECT_EQ(r.lines, lines);
        EXPECT_EQ(r.orders, orders);
        EXPECT_EQ(r.customers, customers);
        EXPECT_EQ(r.revenue, revenue);
    }

    // A history with every kind of entry, in an order where each matters: deletions between
    // loads, a duplicate, a refusal, a catalog, custom columns, a full upload that replaces the
    // earlier lines, and a deletion after it.
    void build_history() {
        expect_loaded(load("one.csv", conformance::deletion_data()), 5);
        auto by_customer = deletion(plugin::DeletionScope::customers);
        by_customer.customers = {3};
        h().delete_lines(kTenant, by_customer);
        expect_loaded(load("two.csv", std::string(conformance::kSalesHeader) +
                                          "D4,2026-11-04,3,x,1.5,1\nE5,2026-11-04,4,x,2,1\n"),
                      2);
        EXPECT_EQ(load("two-again.csv", std::string(conformance::kSalesHeader) +
                                            "D4,2026-11-04,3,x,1.5,1\nE5,2026-11-04,4,x,2,1\n")
                      .outcome,
                  "duplicate");
        EXPECT_EQ(load("bad.csv", std::string(conformance::kSalesHeader) + "F,x,1,x,1,1\n").outcome,
                  "refused");
        expect_loaded(load("catalog.csv", "item,category\nx,Shoes>Running\ny,Hats\n"), 2);
        expect_loaded(load("custom.csv",
                           "order,timestamp,customer,item,price,s_note,i_n,f_m,d_t\n"
                           "G7,2026-11-05,5,x,3,hi,-7,0.5,2026-11-05T01:02:03.000004Z\n"),
                      1);
        auto by_order = deletion(plugin::DeletionScope::orders);
        by_order.orders = {"E5"};
        h().delete_lines(kTenant, by_order);
        // The full upload replaces all lines; the deletion after it removes one of its lines.
        expect_loaded(load("full.csv",
                           std::string(conformance::kSalesHeader) +
                               "H8,2026-11-06,6,x,10,1\nH9,2026-11-06,7,x,20,1\n"
                               "J1,2026-11-07,8,x,0.000001,1\n",
                           /*full=*/true),
                      3);
        expect_loaded(
            load("after.csv", std::string(conformance::kSalesHeader) + "K2,2026-11-08,9,x,4,1\n"),
            1);
        auto by_time = deletion(plugin::DeletionScope::time_range);
        by_time.from_us = conformance::kNov1 + 6 * conformance::kDay;
        by_time.to_us = conformance::kNov1 + 7 * conformance::kDay;
        h().delete_lines(kTenant, by_time);
    }

    struct Snapshot {
        plugin::TenantStats stats;
        std::vector<std::string> rows, history, deletions;
    };
    Snapshot snapshot(const std::string& section = "") {
        return {stats(kTenant, section), rows(kTenant, section), history(kTenant, section),
                deletions(kTenant, section)};
    }
    void expect_same(const Snapshot& got, const Snapshot& want) {
        EXPECT_EQ(got.stats.lines, want.stats.lines);
        EXPECT_EQ(got.stats.customers, want.stats.customers);
        EXPECT_EQ(got.stats.revenue, want.stats.revenue);
        EXPECT_EQ(got.stats.catalog_items, want.stats.catalog_items);
        EXPECT_EQ(got.rows, want.rows);
        EXPECT_EQ(got.history, want.history);
        EXPECT_EQ(got.deletions, want.deletions);
    }

    // The archive-fs object file of a checksum (the suite's archive stores uncompressed).
    std::string object_file(const std::string& sha) {
        return h().dir() + "/archive/" + kTenant + "/objects/" + sha.substr(0, 2) + "/" + sha;
    }

private:
    std::unique_ptr<Harness> harness_;
    bool with_copy_ = false;
};

}  // namespace sightline::testing
