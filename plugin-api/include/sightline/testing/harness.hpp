// In-process test harness for plugin authors: runs the real host pipeline (profile checks,
// plugin loading, CSV parsing, validation, the personal-data guard, archive, target) with your
// plugin in it, inside your test process. Link Sightline::harness.
//
//   sightline::testing::Harness h(R"(
//     version: 1
//     archive: {plugin: my-archive, config: {root: "{dir}/archive"}}
//     target:  {plugin: target-sqlite, config: {dir: "{dir}/db"}}
//     tenants: [{id: acme}]
//   )", {"/path/to/my/build", "/usr/lib/sightline/plugins"});
//   auto result = h.load_text("acme", "sales.csv", "order,timestamp,customer,item,price\n...");
//   EXPECT_EQ(result.outcome, "loaded");
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sightline/plugin/archive.hpp"
#include "sightline/plugin/target.hpp"
#include "sightline/plugin/transport.hpp"

namespace sightline::testing {

struct LoadResult {
    std::string outcome;  // "loaded", "duplicate", "refused", "refused_pii", "retry"
    std::string message;
    uint64_t rows = 0;
    std::string sha256;
    std::vector<std::string> errors;  // "file:line:column (name): reason"
};

class Harness {
public:
    // profile_yaml: a whole profile; every "{dir}" in it becomes a fresh temporary folder that
    // the harness removes at the end. plugin_path: folders to find plugins in, searched first.
    Harness(const std::string& profile_yaml, const std::vector<std::string>& plugin_path);
    ~Harness();
    Harness(const Harness&) = delete;
    Harness& operator=(const Harness&) = delete;

    LoadResult load(const std::string& tenant, const std::string& file, bool full = false);
    LoadResult load_text(const std::string& tenant, const std::string& name, const std::string& csv,
                         bool full = false);

    plugin::Archive& archive();
    plugin::Target& target();
    // Where the pipeline receives uploads: hand it to a transport plugin under test.
    plugin::UploadSink& sink();
    const std::string& dir() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sightline::testing
