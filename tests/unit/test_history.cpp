// The archive's history entries: what is written reads back the same, and what cannot be read
// is refused with its position.
#include <gtest/gtest.h>

#include "sightline/core/history.hpp"

using namespace sightline;

TEST(History, FileEntryRoundTrips) {
    plugin::FileRecord r;
    r.name = "sales 1.csv";
    r.sha256 = std::string(64, 'a');
    r.kind = plugin::FileKind::sales;
    r.mode = plugin::LoadMode::full;
    r.result = plugin::FileResult::refused;
    r.at_us = 1'700'000'000'123'456;
    r.rows = 0;
    r.bytes = 99;
    r.detail = "sales.csv:2:3 (price): bad";
    const auto e = core::parse_history_entry(core::file_entry_json("acme", "id-1", r), 1);
    EXPECT_EQ(e.type, core::HistoryType::file);
    EXPECT_EQ(e.id, "id-1");
    EXPECT_EQ(e.file.name, r.name);
    EXPECT_EQ(e.file.sha256, r.sha256);
    EXPECT_EQ(e.file.mode, plugin::LoadMode::full);
    EXPECT_EQ(e.file.result, plugin::FileResult::refused);
    EXPECT_EQ(e.file.at_us, r.at_us);
    EXPECT_EQ(e.file.bytes, 99u);
    EXPECT_EQ(e.file.detail, r.detail);
}

TEST(History, DeletionEntryKeepsIdsExactly) {
    plugin::DeletionRequest d;
    d.scope = plugin::DeletionScope::customers;
    d.customers = {0, 9223372036854775808ull, 18446744073709551615ull};
    d.id = core::new_history_id(5);
    d.at_us = 5;
    d.reason = "customer asked";
    d.operator_name = "ops";
    const auto e = core::parse_history_entry(core::deletion_entry_json("acme", d), 3);
    EXPECT_EQ(e.type, core::HistoryType::deletion);
    EXPECT_EQ(e.deletion.customers, d.customers);
    EXPECT_EQ(e.deletion.id, d.id);
    EXPECT_EQ(e.deletion.reason, "customer asked");
    EXPECT_EQ(e.deletion.operator_name, "ops");

    d.scope = plugin::DeletionScope::time_range;
    d.from_us = -1;
    d.to_us = 7;
    const auto t = core::parse_history_entry(core::deletion_entry_json("acme", d), 4);
    EXPECT_EQ(t.deletion.from_us, -1);
    EXPECT_EQ(t.deletion.to_us, 7);
}

TEST(History, EntriesOfTheFoundationFormatWithoutIdsStillRead) {
    const auto e = core::parse_history_entry(
        R"({"v":1,"type":"file","tenant":"acme","name":"a.csv","sha256":"ab","kind":"sales",)"
        R"("mode":"incremental","result":"loaded","at":"2026-01-01T00:00:00Z","rows":3,"bytes":9})",
        1);
    EXPECT_TRUE(e.id.empty());
    EXPECT_EQ(e.file.at_us, 1767225600000000);
    EXPECT_EQ(e.file.rows, 3u);
}

TEST(History, CancelledEntryNamesWhatItCancels) {
    const auto e = core::parse_history_entry(core::cancelled_entry_json("acme", "x", 1, "lost"), 2);
    EXPECT_EQ(e.type, core::HistoryType::cancelled);
    EXPECT_EQ(e.cancels, "x");
}

TEST(History, UnreadableEntriesAreRefusedWithTheirPosition) {
    for (const char* bad : {"not json", "[1]", R"({"v":2,"type":"file"})",
                            R"({"v":1,"type":"teleport"})", R"({"v":1,"type":"file"})",
                            R"({"v":1,"type":"file","name":"a","sha256":"b","kind":"sales",)"
                            R"("mode":"sideways","result":"loaded","at_us":1})"}) {
        try {
            core::parse_history_entry(bad, 7);
            ADD_FAILURE() << "accepted: " << bad;
        } catch (const plugin::Error& e) {
            EXPECT_NE(std::string(e.what()).find("history entry 7"), std::string::npos) << e.what();
        }
    }
}

// Found by fuzzing (tests/fuzz/archive_history): a float where an integer belongs was converted
// with get<int64_t>(), undefined behaviour when out of range. Numbers must be integers in range.
TEST(History, NumbersMustBeIntegersInRange) {
    const std::string file =
        R"({"v":1,"type":"file","name":"a","sha256":"b","kind":"sales","mode":"full",)"
        R"("result":"loaded",)";
    const std::string deletion =
        R"({"v":1,"type":"deletion","id":"d","scope":"time_range","at_us":1,)";
    for (const std::string& bad : std::vector<std::string>{
             file + R"("at_us":1e300})", file + R"("at_us":1.5})", file + R"("at_us":1,"rows":-1})",
             file + R"("at_us":1,"bytes":2.5})", R"({"v":1e300,"type":"file"})",
             deletion + R"("from_us":9223372036854775808,"to_us":1})",
             deletion + R"("from_us":0,"to_us":-1e19})",
             R"({"v":1,"type":"deletion","scope":"customers","at_us":1,"customers":[1,2.5]})",
             R"({"v":1,"type":"deletion","scope":"customers","at_us":1,"customers":{"a":1}})",
             R"({"v":1,"type":"segments","name":"s","sha256":"b","at_us":1,"versions":1e30})"}) {
        try {
            core::parse_history_entry(bad, 9);
            ADD_FAILURE() << "accepted: " << bad;
        } catch (const plugin::Error& e) {
            EXPECT_NE(std::string(e.what()).find("history entry 9"), std::string::npos) << e.what();
        }
    }
    const auto e = core::parse_history_entry(
        deletion + R"("from_us":-9223372036854775808,"to_us":9223372036854775807})", 1);
    EXPECT_EQ(e.deletion.from_us, INT64_MIN);
    EXPECT_EQ(e.deletion.to_us, INT64_MAX);
}

TEST(History, IdsAreUniqueAndTimeOrdered) {
    EXPECT_NE(core::new_history_id(1), core::new_history_id(1));
    EXPECT_LT(core::new_history_id(1), core::new_history_id(2));
}
