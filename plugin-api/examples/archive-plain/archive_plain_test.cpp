// Pushes files through the real host pipeline with archive-plain as the archive and the
// installed target-sqlite as the target, then checks what the archive kept.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sightline/testing/harness.hpp>
#include <sstream>
#include <vector>

namespace {

int failures = 0;

void check(bool ok, const std::string& what) {
    std::cout << (ok ? "ok   " : "FAIL ") << what << "\n";
    if (!ok) ++failures;
}

}  // namespace

int main() {
    sightline::testing::Harness h(R"(version: 1
archive: {plugin: archive-plain, config: {root: "{dir}/archive"}}
target: {plugin: target-sqlite, config: {dir: "{dir}/db"}}
tenants: [{id: acme}]
)",
                                  {PLUGIN_DIR, SDK_PLUGIN_DIR});
    const std::string csv = "order,timestamp,customer,item,price\nA1,2026-11-01,42,sku-1,19.99\n";
    auto loaded = h.load_text("acme", "sales.csv", csv);
    check(loaded.outcome == "loaded" && loaded.rows == 1,
          "a valid file is loaded: " + loaded.message);

    std::ifstream kept(h.dir() + "/archive/acme/" + loaded.sha256, std::ios::binary);
    std::stringstream bytes;
    bytes << kept.rdbuf();
    check(bytes.str() == csv, "the archive keeps the original bytes under their SHA-256");

    auto again = h.load_text("acme", "copy.csv", csv);
    check(again.outcome == "duplicate", "the same bytes again are a duplicate");

    auto pii =
        h.load_text("acme", "pii.csv",
                    "order,timestamp,customer,item,price,s_email\nA,2026-11-01,1,x,1,a@b.cc\n");
    check(pii.outcome == "refused_pii", "personal data is refused");
    check(h.archive().history("acme").size() == 2,
          "the history has the loaded file and the duplicate only");

    const auto listed = h.archive().list("acme");
    check(listed == std::vector<std::string>{loaded.sha256},
          "list() names the stored object once, and not the history or a temporary file");
    check(h.archive().list("nobody").empty(), "an unknown tenant has no objects");

    std::cout << (failures ? "archive-plain example: FAILED\n"
                           : "archive-plain example: all checks passed\n");
    return failures ? 1 : 0;
}
