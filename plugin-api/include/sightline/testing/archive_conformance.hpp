// The archive conformance suite: what every `archive` plugin must do, checked through the public
// plugin API only. Header-only (GoogleTest and the plugin API; no harness, no target): include it
// in exactly one test source of your plugin and instantiate it (see docs/plugin-authors.md), e.g.
//
//   #include <sightline/testing/archive_conformance.hpp>
//   using namespace sightline::testing;
//   INSTANTIATE_TEST_SUITE_P(MyArchive, ArchiveConformance, ::testing::Values(ArchiveUnderTest{
//       "my_archive", archive_module_factory(MY_PLUGIN_FILE, R"({"root": "{dir}/archive"})"),
//       nullptr /* or a corrupt(dir, tenant, sha) that damages a stored object */, ""}),
//       [](const auto& info) { return info.param.name; });
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sightline/plugin/archive.hpp"
#include "sightline/testing/conformance/sha256.hpp"
#include "sightline/testing/plugin_testing.hpp"

namespace sightline::testing {

// Creates an archive instance whose storage lives under `dir` (the same dir gives the same
// storage: the suite re-creates the instance to check durability). host outlives the instance.
using ArchiveFactory = std::function<std::unique_ptr<plugin::Archive>(const std::string& dir,
                                                                      plugin::HostServices& host)>;

struct ArchiveUnderTest {
    std::string name;  // shown in test names: letters, digits and '_' only
    ArchiveFactory create;
    // Optional: damage the stored bytes of an object (its checksum must no longer match).
    // Without it the corruption test is skipped.
    std::function<void(const std::string& dir, const std::string& tenant, const std::string& sha)>
        corrupt;
    std::string skip_reason;  // non-empty: every test is skipped with it
};

namespace conformance_detail {
inline std::string replace_dir(std::string text, const std::string& dir) {
    for (size_t at = 0; (at = text.find("{dir}", at)) != std::string::npos; at += dir.size()) {
        text.replace(at, 5, dir);
    }
    return text;
}
}  // namespace conformance_detail

inline void PrintTo(const ArchiveUnderTest& a, std::ostream* os) { *os << a.name; }

// A factory that loads the built plugin module the way the host does (RTLD_NOW | RTLD_LOCAL) and
// creates the plugin with config_json, in which "{dir}" becomes the test's folder. The host
// applies schema defaults before create(); this path does not, so give every key your create()
// needs.
inline ArchiveFactory archive_module_factory(std::string module_path, std::string config_json) {
    return [module_path, config_json](const std::string& dir, plugin::HostServices& host) {
        const sl_plugin_descriptor& descriptor = load_plugin_module(module_path);
        plugin::CreateContext context;
        context.host = &host;
        context.config_json = conformance_detail::replace_dir(config_json, dir);
        context.instance_name = "archive";
        std::unique_ptr<plugin::Plugin> created = descriptor.create(context);
        auto* archive = dynamic_cast<plugin::Archive*>(created.get());
        if (!archive) throw std::runtime_error(module_path + " did not create an Archive");
        created.release();
        return std::unique_ptr<plugin::Archive>(archive);
    };
}

class ArchiveConformance : public ::testing::TestWithParam<ArchiveUnderTest> {
protected:
    void SetUp() override {
        if (!GetParam().skip_reason.empty()) GTEST_SKIP() << GetParam().skip_reason;
        archive_ = GetParam().create(dir_.path(), host_);
        ASSERT_TRUE(archive_);
    }

    plugin::Archive& archive() { return *archive_; }
    // A new instance over the same storage (the old one is destroyed first).
    void recreate() {
        archive_.reset();
        archive_ = GetParam().create(dir_.path(), host_);
    }
    const std::string& dir() const { return dir_.path(); }

    // Writes bytes in chunks of `chunk` and commits them under their SHA-256.
    std::string put(const std::string& tenant, const std::string& bytes, size_t chunk = 65536) {
        auto writer = archive().create(tenant);
        for (size_t at = 0; at < bytes.size(); at += chunk) {
            writer->write(bytes.data() + at, std::min(chunk, bytes.size() - at));
        }
        const std::string sha = conformance::sha256_hex(bytes);
        writer->commit(sha);
        return sha;
    }

    // Reads an object whole, in reads of `chunk` bytes.
    std::string get(const std::string& tenant, const std::string& sha, size_t chunk = 65536) {
        auto reader = archive().open(tenant, sha);
        std::string out, buffer(chunk, '\0');
        while (size_t n = reader->read(buffer.data(), buffer.size())) out.append(buffer.data(), n);
        return out;
    }

    // Deterministic bytes that do not compress.
    static std::string noise(size_t size, uint64_t seed) {
        std::string out(size, '\0');
        uint64_t state = seed * 0x9E3779B97F4A7C15ULL + 1;
        for (char& c : out) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            c = static_cast<char>(state >> 56);
        }
        return out;
    }

private:
    TempDir dir_;
    FakeHost host_;
    std::unique_ptr<plugin::Archive> archive_;
};

TEST_P(ArchiveConformance, EmptySmallAndMultiMiBObjectsRoundTrip) {
    const std::string big = noise(5 << 20, 1);
    for (const std::string& bytes :
         {std::string(), std::string("x"), std::string("order,timestamp\nA,2026-11-01\n"), big}) {
        const std::string sha = put("acme", bytes, 4093);
        EXPECT_TRUE(archive().contains("acme", sha));
        EXPECT_EQ(get("acme", sha, 1000), bytes);
        EXPECT_EQ(get("acme", sha, 1 << 20), bytes);
    }
}

TEST_P(ArchiveConformance, CommittingBytesAlreadyStoredIsANoOp) {
    const std::string sha = put("acme", "same bytes");
    EXPECT_EQ(put("acme", "same bytes", 3), sha);
    EXPECT_EQ(get("acme", sha), "same bytes");
    EXPECT_EQ(archive().list("acme"), std::vector<std::string>{sha});
}

TEST_P(ArchiveConformance, AnUncommittedWriterLeavesNothing) {
    const std::string sha = conformance::sha256_hex("never committed");
    {
        auto writer = archive().create("acme");
        writer->write("never committed", 15);
        EXPECT_FALSE(archive().contains("acme", sha));  // not before commit() either
        EXPECT_TRUE(archive().list("acme").empty());
    }
    EXPECT_FALSE(archive().contains("acme", sha));
    EXPECT_TRUE(archive().list("acme").empty());
    EXPECT_THROW(archive().open("acme", sha), plugin::Error);
}

TEST_P(ArchiveConformance, OpeningAMissingObjectThrowsError) {
    put("acme", "stored");
    EXPECT_THROW(archive().open("acme", conformance::sha256_hex("not stored")), plugin::Error);
    // An object of another tenant is missing too.
    EXPECT_THROW(archive().open("globex", conformance::sha256_hex("stored")), plugin::Error);
    EXPECT_FALSE(archive().contains("globex", conformance::sha256_hex("stored")));
}

TEST_P(ArchiveConformance, ACorruptObjectMakesReadThrowError) {
    if (!GetParam().corrupt) GTEST_SKIP() << "no corrupt() hook for this archive";
    const std::string bytes = noise(300000, 2);
    const std::string sha = put("acme", bytes);
    GetParam().corrupt(dir(), "acme", sha);
    EXPECT_THROW(get("acme", sha, 4096), plugin::Error);
}

TEST_P(ArchiveConformance, ListIsSortedAndPerTenant) {
    EXPECT_TRUE(archive().list("acme").empty());  // an unknown tenant has no objects
    std::vector<std::string> acme;
    for (int i = 0; i < 20; ++i) acme.push_back(put("acme", "object " + std::to_string(i)));
    const std::string other = put("globex", "object of another tenant");
    std::sort(acme.begin(), acme.end());
    EXPECT_EQ(archive().list("acme"), acme);
    EXPECT_EQ(archive().list("globex"), std::vector<std::string>{other});
}

TEST_P(ArchiveConformance, HistoryKeepsAppendOrderPerTenant) {
    EXPECT_TRUE(archive().history("acme").empty());
    std::vector<std::string> lines;
    for (int i = 0; i < 50; ++i) {
        lines.push_back(R"({"n":)" + std::to_string(i) + R"(,"text":"a\nb \"q\""})");
        archive().append_history("acme", lines.back());
    }
    archive().append_history("globex", R"({"other":true})");
    EXPECT_EQ(archive().history("acme"), lines);
    EXPECT_EQ(archive().history("globex"), std::vector<std::string>{R"({"other":true})"});
}

TEST_P(ArchiveConformance, EverythingSurvivesANewInstance) {
    const std::string bytes = noise(100000, 3);
    const std::string sha = put("acme", bytes);
    archive().append_history("acme", R"({"n":1})");
    archive().append_history("acme", R"({"n":2})");
    recreate();
    EXPECT_TRUE(archive().contains("acme", sha));
    EXPECT_EQ(get("acme", sha), bytes);
    EXPECT_EQ(archive().list("acme"), std::vector<std::string>{sha});
    EXPECT_EQ(archive().history("acme"), (std::vector<std::string>{R"({"n":1})", R"({"n":2})"}));
    archive().append_history("acme", R"({"n":3})");
    EXPECT_EQ(archive().history("acme").back(), R"({"n":3})");
}

}  // namespace sightline::testing
