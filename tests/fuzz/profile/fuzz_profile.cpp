// Fuzzes a profile as `sightline profile check` and the start of `serve` read it:
// load_profile() (YAML, the profile's bounds, every section's checks), then each plugin
// section's config against that plugin's schema (validate_config), and the JSON text the
// plugin would be created with. No plugin is loaded: the bundled plugins' schemas are compiled
// in (see fuzz.cmake). The profile is handed over as a memfd, so nothing is written to disk.
//
// Properties: a profile with no errors has the sections it needs; a section whose config has
// no errors gives a JSON object that can be written as text (what the plugin receives).
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "archive-fs/src/config_schema.hpp"
#include "evaluator-columnar/src/config_schema.hpp"
#include "evaluator-memory/src/config_schema.hpp"
#include "fuzz_check.hpp"
#include "sightline/core/config_schema.hpp"
#include "sightline/core/profile.hpp"
#include "source_schemas.hpp"
#include "target-greenplum/src/config_schema.hpp"
#include "target-postgres/src/config_schema.hpp"
#include "target-sqlite/src/config_schema.hpp"

using namespace sightline::core;

namespace {

// Plugin id -> schema, each checked as the plugin loader checks a descriptor's.
const std::map<std::string, nlohmann::json>& schemas() {
    static const std::map<std::string, nlohmann::json> table = [] {
        const std::map<std::string, const char*> texts = {
            {"archive-fs", sightline::archive_fs::kConfigSchema},
            {"archive-ftps", fuzz_schemas::archive_ftps},
            {"evaluator-columnar", sightline::evaluator_columnar::kConfigSchema},
            {"evaluator-memory", sightline::evaluator_memory::kConfigSchema},
            {"evaluator-sql", "{}"},
            {"intake-dir", fuzz_schemas::intake_dir},
            {"intake-ftps", fuzz_schemas::intake_ftps},
            {"relay-ftps", fuzz_schemas::relay_ftps},
            {"target-greenplum", sightline::target_greenplum::kConfigSchema},
            {"target-postgres", sightline::target_pg::kConfigSchema},
            {"target-sqlite", sightline::target_sqlite::kConfigSchema},
        };
        std::map<std::string, nlohmann::json> out;
        for (const auto& [id, text] : texts) {
            nlohmann::json schema = nlohmann::json::parse(text, nullptr, false);
            FUZZ_CHECK(!schema.is_discarded());
            FUZZ_CHECK(check_schema(schema).empty());
            out.emplace(id, std::move(schema));
        }
        return out;
    }();
    return table;
}

// The input as a file that lives only in memory.
class MemoryFile {
public:
    MemoryFile(const uint8_t* data, size_t size) : fd_(memfd_create("profile.yaml", 0)) {
        FUZZ_CHECK(fd_ >= 0);
        for (size_t done = 0; done < size;) {
            const ssize_t n = write(fd_, data + done, size - done);
            FUZZ_CHECK(n > 0);
            done += static_cast<size_t>(n);
        }
    }
    ~MemoryFile() { close(fd_); }
    std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }

private:
    int fd_;
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    schemas();
    // Config values may name ${VARIABLES}: give the fuzzer a few that exist.
    setenv("FUZZ_A", "value", 1);
    setenv("FUZZ_EMPTY", "", 1);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const MemoryFile file(data, size);
    std::vector<ProfileError> errors;
    const Profile profile = load_profile(file.path(), errors);
    for (const ProfileError& e : errors) FUZZ_CHECK(!e.message.empty());
    const bool profile_ok = errors.empty();
    if (profile_ok && !profile.edge) {
        FUZZ_CHECK(profile.section("archive") != nullptr);
        FUZZ_CHECK(profile.section("target") != nullptr);
    }
    for (const PluginSection& section : profile.plugins) {
        const auto schema = schemas().find(section.plugin);
        if (schema == schemas().end()) continue;  // not a bundled plugin: `not found` at start
        std::vector<ProfileError> config_errors;
        const nlohmann::json config = validate_config(section.config, schema->second, file.path(),
                                                      section.role + ".config", config_errors);
        for (const ProfileError& e : config_errors) FUZZ_CHECK(!e.message.empty());
        if (profile_ok && config_errors.empty()) {
            FUZZ_CHECK(config.is_object());
            (void)config.dump();  // the text the plugin is created with (runtime.cpp)
        }
    }
    return 0;
}
