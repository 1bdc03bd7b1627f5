// Through the host, as production runs it (the module from the build's plugin folder, the
// profile's config section validated against the schema): answers, a declined tenant answered
// by the next evaluator, the snapshot file in the plugin's state folder, a load seen at once.
#include <gtest/gtest.h>

#include <filesystem>

#include "sightline/testing/harness.hpp"

namespace {

const char* const kProfile =
    "version: 1\n"
    "state_dir: \"{dir}/state\"\n"
    "archive: {plugin: archive-fs, config: {root: \"{dir}/archive\", compression: none, "
    "fsync: false}}\n"
    "target: {plugin: target-sqlite, config: {dir: \"{dir}/db\"}}\n"
    "evaluators:\n"
    "  - plugin: evaluator-columnar\n"
    "    config: {max_resident_lines: 0, tenant_max_resident_lines: {big: 1}, persist: true}\n"
    "  - plugin: evaluator-memory\n"
    "tenants: [{id: acme}, {id: big}]\n";

const char* const kSales =
    "order,timestamp,customer,item,price,s_channel\n"
    "A,2026-01-10T10:00:00Z,7,x,10,web\n"
    "B,2026-01-11T10:00:00Z,8,y,5,store\n";

const char* const kDefinition = R"({"id":"d","name":"d","rule":{"revenue":{"min":1}}})";

TEST(Host, AnswersDeclinesAndSeesLoads) {
    sightline::testing::Harness h(kProfile, {SIGHTLINE_BUILD_PLUGIN_DIR});
    for (const char* tenant : {"acme", "big"}) {
        const auto r = h.load_text(tenant, "s.csv", kSales);
        ASSERT_EQ(r.outcome, "loaded") << r.message;
    }
    auto acme = h.evaluate("acme", kDefinition, "2026-02-01T00:00:00Z", "");
    EXPECT_EQ(acme.evaluator, "evaluator-columnar");
    EXPECT_EQ(acme.customers, (std::vector<uint64_t>{7, 8}));

    // Two lines, above big's limit of 1: the next evaluator answers.
    auto big = h.evaluate("big", kDefinition, "2026-02-01T00:00:00Z", "");
    EXPECT_EQ(big.evaluator, "evaluator-memory");
    EXPECT_EQ(big.customers, (std::vector<uint64_t>{7, 8}));

    // One snapshot file, in the plugin's own state folder.
    size_t files = 0;
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(h.dir() + "/state/plugins")) {
        if (entry.path().extension() == ".snapshot") ++files;
    }
    EXPECT_EQ(files, 1u);

    // A later load is seen by the next question.
    const auto more =
        h.load_text("acme", "s2.csv", "order,timestamp,customer,item,price\nC,2026-01-12,9,x,3\n");
    ASSERT_EQ(more.outcome, "loaded") << more.message;
    acme = h.evaluate("acme", kDefinition, "2026-02-01T00:00:00Z", "evaluator-columnar");
    EXPECT_EQ(acme.customers, (std::vector<uint64_t>{7, 8, 9}));
}

}  // namespace
