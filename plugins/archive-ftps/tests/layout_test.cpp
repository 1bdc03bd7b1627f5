// Remote layout and names.
#include <gtest/gtest.h>

#include "layout.hpp"
#include "sightline/plugin/api.hpp"

namespace {

using sightline::archive_ftps::Layout;
using sightline::plugin::Error;

TEST(Layout, Paths) {
    const Layout layout("/sightline");
    const std::string sha(64, 'a');
    EXPECT_EQ(layout.object("acme", sha), "/sightline/acme/objects/" + sha);
    EXPECT_EQ(layout.history_entry("acme", 1), "/sightline/acme/history/000000000001.json");
    EXPECT_EQ(layout.history_entry("acme", 123456789012),
              "/sightline/acme/history/123456789012.json");
    const std::string temporary = Layout::temporary("/sightline/acme/objects");
    EXPECT_EQ(temporary.rfind("/sightline/acme/objects/tmp-", 0), 0u);
    EXPECT_NE(temporary, Layout::temporary("/sightline/acme/objects"));
    EXPECT_EQ(Layout("/").objects_dir("acme"), "/acme/objects");
}

TEST(Layout, RefusesBadNames) {
    const Layout layout("/sightline");
    EXPECT_THROW(layout.object("acme", std::string(64, 'A')), Error);
    EXPECT_THROW(layout.object("acme", "abc"), Error);
    EXPECT_THROW(layout.objects_dir(".."), Error);
    EXPECT_THROW(layout.objects_dir("a/b"), Error);
    EXPECT_THROW(layout.objects_dir("a\r\nb"), Error);
    EXPECT_THROW(layout.objects_dir(""), Error);
}

TEST(Layout, HistorySequence) {
    EXPECT_EQ(Layout::history_seq("000000000001.json"), 1);
    EXPECT_EQ(Layout::history_seq("000000000042.json"), 42);
    EXPECT_EQ(Layout::history_seq("000000000000.json"), std::nullopt);
    EXPECT_EQ(Layout::history_seq("00000000001.json"), std::nullopt);
    EXPECT_EQ(Layout::history_seq("00000000000a.json"), std::nullopt);
    EXPECT_EQ(Layout::history_seq("000000000001.txt"), std::nullopt);
    EXPECT_EQ(Layout::history_seq("tmp-0011"), std::nullopt);
}

}  // namespace
