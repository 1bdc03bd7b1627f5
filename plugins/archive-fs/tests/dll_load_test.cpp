// The built module, loaded the way the host loads it (RTLD_NOW | RTLD_LOCAL through Boost.DLL).
#include <gtest/gtest.h>

#include <boost/dll/library_info.hpp>
#include <cstring>
#include <nlohmann/json.hpp>

#include "sightline/plugin/archive.hpp"
#include "test_support.hpp"

namespace sightline::archive_fs::testing {
namespace {

// Loaded the way the host loads it, and kept resident as the host does (SDK helper).
const sl_plugin_descriptor& load_descriptor() {
    return sightline::testing::load_plugin_module(ARCHIVE_FS_PLUGIN_PATH);
}

TEST(DllLoad, DescriptorIsComplete) {
    const auto& d = load_descriptor();
    EXPECT_EQ(d.struct_size, sizeof(sl_plugin_descriptor));
    EXPECT_EQ(d.api_major, static_cast<uint32_t>(SIGHTLINE_PLUGIN_API_MAJOR));
    EXPECT_EQ(d.api_minor, static_cast<uint32_t>(SIGHTLINE_PLUGIN_API_MINOR));
    EXPECT_STREQ(d.abi_tag, SIGHTLINE_ABI_TAG);
    EXPECT_STREQ(d.id, "archive-fs");
    EXPECT_STREQ(d.kind, "archive");
    EXPECT_STREQ(d.version, "0.1.0");
    EXPECT_STREQ(d.license, "Apache-2.0");
    EXPECT_GT(std::strlen(d.description), 10u);
    EXPECT_EQ(d.signature, nullptr);
    ASSERT_NE(d.create, nullptr);

    const auto schema = nlohmann::json::parse(d.config_schema);
    EXPECT_TRUE(schema.at("root").at("required").get<bool>());
    EXPECT_EQ(schema.at("compression").at("default"), "zstd");
    EXPECT_EQ(schema.at("zstd_level").at("default"), 3);
    EXPECT_EQ(schema.at("fsync").at("default"), true);
    for (const auto& [key, spec] : schema.items()) {
        EXPECT_TRUE(spec.contains("type")) << key;
        EXPECT_TRUE(spec.contains("description")) << key;
    }
}

TEST(DllLoad, OnlyTheEntryPointIsExported) {
    // Read from the file, without running it: what `sightline plugins inspect` relies on.
    boost::dll::library_info info(ARCHIVE_FS_PLUGIN_PATH);
    EXPECT_EQ(info.symbols("boostdll"), std::vector<std::string>{"sightline_plugin_v1"});
    EXPECT_EQ(info.symbols(), std::vector<std::string>{"sightline_plugin_v1"});
}

TEST(DllLoad, CreatesAWorkingArchive) {
    const auto& d = load_descriptor();
    TempDir dir;
    FakeHost host;
    sp::CreateContext context;
    context.host = &host;
    context.config_json = nlohmann::json{
        {"root", dir.path() + "/archive"},
        {"compression", "zstd"},
        {"zstd_level", 5},
        {"fsync", true}}.dump();
    context.instance_name = "archive";
    std::unique_ptr<sp::Plugin> plugin = d.create(context);
    auto* archive = dynamic_cast<sp::Archive*>(plugin.get());
    ASSERT_NE(archive, nullptr);
    const std::string bytes = sample_bytes(1 << 20);
    const std::string sha = store(*archive, "acme", bytes);
    EXPECT_TRUE(archive->contains("acme", sha));
    EXPECT_EQ(read_all(*archive, "acme", sha), bytes);
    archive->append_history("acme", R"({"sha256":")" + sha + R"("})");
    EXPECT_EQ(archive->history("acme").size(), 1u);
    // Errors thrown inside the module are caught here as sightline::plugin::Error.
    EXPECT_THROW(archive->open("acme", sha256_hex("nope")), sp::Error);
    plugin.reset();  // before the library goes away
}

TEST(DllLoad, CreateReportsBadConfigAsError) {
    const auto& d = load_descriptor();
    sp::CreateContext context;
    context.instance_name = "archive";
    for (const char* config :
         {"{}", "not json", "[]", R"({"root": 5})", R"({"root": "/tmp/x", "compression": "gzip"})",
          R"({"root": "/tmp/x", "zstd_level": 0})", R"({"root": "/tmp/x", "zstd_level": 3.5})",
          R"({"root": "/tmp/x", "fsync": "yes"})"}) {
        context.config_json = config;
        try {
            d.create(context);
            ADD_FAILURE() << "accepted " << config;
        } catch (const sp::Error& e) {
            EXPECT_NE(std::string(e.what()).find("archive-fs (archive)"), std::string::npos)
                << e.what();
        }
    }
    context.config_json = R"({"root": "/proc/no/such/place"})";
    EXPECT_THROW(d.create(context), sp::Error);
}

}  // namespace
}  // namespace sightline::archive_fs::testing
