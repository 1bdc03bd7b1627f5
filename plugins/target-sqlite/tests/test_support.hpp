// Shared fixtures of the target-sqlite tests: a temporary folder, a fake host, and builders for
// load specs, rows and file records.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sightline/testing/plugin_testing.hpp"

#include "db.hpp"
#include "sightline/plugin/target.hpp"
#include "sqlite_target.hpp"

namespace sightline::target_sqlite::testing {

namespace sp = sightline::plugin;

using sightline::testing::FakeHost;
using sightline::testing::TempDir;

// One sales line, owning its strings; values() points into it.
struct SaleLine {
    std::string order = "o1";
    int64_t ts = 1'700'000'000'000'000;
    uint64_t customer = 1;
    std::string item = "sku-1";
    int64_t price = 10'000'000;  // 10.0
    std::optional<int64_t> quantity;
    // Custom values in spec order; nullopt = missing. Strings for s_ columns, integers otherwise.
    std::vector<std::optional<std::string>> custom_text;
    std::vector<std::optional<int64_t>> custom_int;
};

// A target on a fresh folder plus its fake host.
struct Fixture {
    TempDir dir;
    FakeHost host;
    std::unique_ptr<SqliteTarget> target;
    Fixture();
    std::unique_ptr<sp::TenantStore> open(const std::string& tenant = "acme") {
        return target->open(tenant);
    }
};

sp::LoadSpec sales_spec(const std::vector<sp::Column>& custom = {},
                        sp::LoadMode mode = sp::LoadMode::incremental);
sp::LoadSpec catalog_spec(const std::vector<sp::Column>& custom = {});

sp::FileRecord loaded_record(const std::string& name, const std::string& sha256, uint64_t rows,
                             sp::FileKind kind = sp::FileKind::sales,
                             sp::LoadMode mode = sp::LoadMode::incremental);

// Appends lines using the spec's custom column types; custom columns are all of one kind per
// line vector: text for s_, integers for the rest.
void append_lines(sp::LoadTransaction& load, const sp::LoadSpec& spec,
                  const std::vector<SaleLine>& lines);

// Loads lines as one committed incremental (or full) file.
void load_sales(sp::TenantStore& store, const std::vector<SaleLine>& lines,
                const std::string& name = "sales.csv", const std::string& sha256 = "",
                sp::LoadMode mode = sp::LoadMode::incremental,
                const std::vector<sp::Column>& custom = {});

struct CatalogItem {
    std::string item;
    std::string category;
    std::optional<std::string> title;
    std::optional<std::string> brand;
    std::vector<std::optional<std::string>> custom;
};
void load_catalog(sp::TenantStore& store, const std::vector<CatalogItem>& items,
                  const std::vector<sp::Column>& custom = {});

// All rows of a single-column text query, in order (NULL reads as "NULL").
std::vector<std::string> query_texts(sp::TenantStore& store, const std::string& sql,
                                     const std::vector<sp::Value>& params = {});
int64_t query_int(sp::TenantStore& store, const std::string& sql,
                  const std::vector<sp::Value>& params = {});

sp::Value text_value(std::string_view s);
sp::Value int_value(int64_t i);

// A distinct 64-hex-digit fake checksum per n.
std::string fake_sha(int n);

}  // namespace sightline::target_sqlite::testing
