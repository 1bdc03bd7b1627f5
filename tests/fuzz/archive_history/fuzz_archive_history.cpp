// Fuzzes a tenant's history.jsonl as a restore reads it: archive-fs reads the file (torn last
// line dropped), the host parses each line (parse_history_entry), the objects the entries name
// are looked up and read back through the archive, and a new entry is appended over whatever
// was there. Properties beyond "no crash, no undefined behaviour, no leak":
// - the lines returned are exactly the input's complete lines, in order;
// - parse_history_entry refuses with plugin::Error only (its contract: restore turns that into
//   a clear refusal; any other exception would escape it);
// - what parse accepts, the host's own writer writes again and parse reads back the same;
// - an append after a torn line cuts the torn part off: the history is the old complete lines
//   plus the new entry.
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "fs_archive.hpp"
#include "fuzz_check.hpp"
#include "sightline/core/history.hpp"
#include "sightline/core/sha256.hpp"

namespace sp = sightline::plugin;
namespace core = sightline::core;

namespace {

constexpr const char* kTenant = "acme";
// The object stored at start (its SHA-256 is in the seeds and the dictionary).
constexpr const char* kObject =
    "order,timestamp,customer,item,price\no1,2024-01-01T00:00:00Z,7,a,1\n";

std::string g_root;
std::string g_history;
std::unique_ptr<sightline::archive_fs::FsArchive> g_archive;

std::vector<std::string> complete_lines(const std::string& text) {
    std::vector<std::string> lines;
    size_t start = 0;
    for (size_t lf = text.find('\n'); lf != std::string::npos; lf = text.find('\n', start)) {
        lines.push_back(text.substr(start, lf - start));
        start = lf + 1;
    }
    return lines;
}

void read_object(const std::string& sha256) {
    try {
        if (!g_archive->contains(kTenant, sha256)) return;
        auto reader = g_archive->open(kTenant, sha256);
        core::Sha256 sha;
        char buffer[4096];
        while (size_t n = reader->read(buffer, sizeof buffer)) sha.update(buffer, n);
        FUZZ_CHECK(sha.hex() == sha256);
    } catch (const sp::Error&) {
        // A malformed SHA-256 in a hostile entry is refused, never used as a path.
    }
}

void check_entry(const core::HistoryEntry& e, size_t position) {
    std::string again;
    switch (e.type) {
        case core::HistoryType::file:
            read_object(e.file.sha256);
            again = core::file_entry_json(kTenant, e.id, e.file);
            break;
        case core::HistoryType::deletion:
            again = core::deletion_entry_json(kTenant, e.deletion);
            break;
        case core::HistoryType::segments:
            read_object(e.segments.sha256);
            again = core::segments_entry_json(kTenant, e.id, e.segments);
            break;
        case core::HistoryType::cancelled:
            again = core::cancelled_entry_json(kTenant, e.cancels, 0, e.reason);
            break;
    }
    core::HistoryEntry r;
    try {
        r = core::parse_history_entry(again, position);
    } catch (const std::exception& x) {
        std::fprintf(stderr, "the host's own entry is refused: %s\n%s\n", x.what(), again.c_str());
        FUZZ_CHECK(false);
    }
    FUZZ_CHECK(r.type == e.type);
    FUZZ_CHECK(r.id == e.id || e.type == core::HistoryType::cancelled);
    if (e.type == core::HistoryType::file) {
        FUZZ_CHECK(r.file.kind == e.file.kind && r.file.mode == e.file.mode &&
                   r.file.result == e.file.result && r.file.at_us == e.file.at_us &&
                   r.file.rows == e.file.rows && r.file.bytes == e.file.bytes);
    } else if (e.type == core::HistoryType::deletion) {
        FUZZ_CHECK(r.deletion.scope == e.deletion.scope && r.deletion.at_us == e.deletion.at_us &&
                   r.deletion.customers == e.deletion.customers &&
                   r.deletion.orders.size() == e.deletion.orders.size() &&
                   r.deletion.from_us == e.deletion.from_us &&
                   r.deletion.to_us == e.deletion.to_us);
    } else if (e.type == core::HistoryType::segments) {
        FUZZ_CHECK(r.segments.at_us == e.segments.at_us && r.segments.bytes == e.segments.bytes &&
                   r.segments.versions == e.segments.versions);
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    const char* tmp = std::getenv("TMPDIR");
    g_root = std::string(tmp ? tmp : "/tmp") + "/fuzz-archive-" + std::to_string(::getpid());
    std::filesystem::remove_all(g_root);
    sightline::archive_fs::ArchiveConfig config;
    config.root = g_root;
    config.fsync = false;  // a fuzz run is not a durability test
    g_archive = std::make_unique<sightline::archive_fs::FsArchive>(config, nullptr);
    auto writer = g_archive->create(kTenant);
    const std::string object = kObject;
    writer->write(object.data(), object.size());
    writer->commit(core::sha256_hex(object));
    g_history = g_root + "/" + kTenant + "/history.jsonl";
    std::atexit([] { std::filesystem::remove_all(g_root); });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    {
        std::ofstream out(g_history, std::ios::binary | std::ios::trunc);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
    }
    const std::vector<std::string> lines = g_archive->history(kTenant);
    FUZZ_CHECK(lines == complete_lines(text));

    for (size_t i = 0; i < lines.size(); ++i) {
        core::HistoryEntry e;
        try {
            e = core::parse_history_entry(lines[i], i + 1);
        } catch (const sp::Error&) {
            continue;
        } catch (const std::exception& x) {
            std::fprintf(stderr, "parse_history_entry threw a non-Error: %s\n", x.what());
            FUZZ_CHECK(false);
        }
        check_entry(e, i + 1);
    }

    const std::string entry = core::cancelled_entry_json(kTenant, "fuzz", 1, "appended");
    g_archive->append_history(kTenant, entry);
    std::vector<std::string> expected = lines;
    expected.push_back(entry);
    FUZZ_CHECK(g_archive->history(kTenant) == expected);
    return 0;
}
