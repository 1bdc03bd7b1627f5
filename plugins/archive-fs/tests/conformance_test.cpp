// The SDK's archive conformance suite (sightline/testing/archive_conformance.hpp) run against the
// built module, compressed and not: the same test a third-party archive would run.
#include <filesystem>
#include <fstream>
#include <sightline/testing/archive_conformance.hpp>

namespace {

using sightline::testing::archive_module_factory;
using sightline::testing::ArchiveConformance;
using sightline::testing::ArchiveUnderTest;

// Flips a byte in the middle of the object's file, whichever form it is stored in (README.md).
void corrupt(const std::string& dir, const std::string& tenant, const std::string& sha) {
    std::string path = dir + "/archive/" + tenant + "/objects/" + sha.substr(0, 2) + "/" + sha;
    if (!std::filesystem::exists(path)) path += ".zst";
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    if (!file) throw std::runtime_error("cannot open " + path);
    const auto middle = static_cast<std::streamoff>(std::filesystem::file_size(path) / 2);
    file.seekg(middle);
    const char c = static_cast<char>(file.get() ^ 0x20);
    file.seekp(middle);
    file.put(c);
}

ArchiveUnderTest archive_fs(const std::string& name, const std::string& compression) {
    return {name,
            archive_module_factory(ARCHIVE_FS_PLUGIN_PATH,
                                   R"({"root": "{dir}/archive", "compression": ")" + compression +
                                       R"(", "zstd_level": 3, "zstd_workers": 1, "fsync": false})"),
            corrupt, ""};
}

INSTANTIATE_TEST_SUITE_P(ArchiveFs, ArchiveConformance,
                         ::testing::Values(archive_fs("zstd", "zstd"), archive_fs("none", "none")),
                         [](const auto& info) { return info.param.name; });

}  // namespace
