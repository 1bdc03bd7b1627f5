// The SDK's archive conformance suite (sightline/testing/archive_conformance.hpp) against the
// built module and a real vsftpd: the same test a third-party archive would run.
#include <filesystem>
#include <fstream>
#include <sightline/testing/archive_conformance.hpp>

#include "live_config.hpp"

namespace {

using sightline::testing::archive_module_factory;
using sightline::testing::ArchiveConformance;
using sightline::testing::ArchiveUnderTest;

// Flips a byte in the middle of the object's file on the server's side.
void corrupt(const std::string& dir, const std::string& tenant, const std::string& sha) {
    const std::string path = archive_ftps_test::object_path(dir, tenant, sha);
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    if (!file) throw std::runtime_error("cannot open " + path);
    const auto middle = static_cast<std::streamoff>(std::filesystem::file_size(path) / 2);
    file.seekg(middle);
    const char c = static_cast<char>(file.get() ^ 0x20);
    file.seekp(middle);
    file.put(c);
}

INSTANTIATE_TEST_SUITE_P(ArchiveFtps, ArchiveConformance,
                         ::testing::Values(ArchiveUnderTest{
                             "vsftpd",
                             archive_module_factory(ARCHIVE_FTPS_PLUGIN_PATH,
                                                    archive_ftps_test::config_json()),
                             corrupt, archive_ftps_test::skip_reason()}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
