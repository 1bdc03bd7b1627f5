#include "sightline/core/segment_backup.hpp"

#include <nlohmann/json.hpp>

#include "segment_document.hpp"
#include "sightline/core/history.hpp"
#include "sightline/core/runtime.hpp"
#include "sightline/core/segment_definition.hpp"
#include "sightline/core/sha256.hpp"
#include "sightline/core/timestamp.hpp"

namespace sightline::core {

using nlohmann::json;
using plugin::Error;

namespace {

constexpr const char* kFormat = "sightline-segment-definitions";

// The newest segments entry of the tenant's history (or the one named), if any.
std::optional<SegmentsBackupEntry> find_backup(plugin::Archive& archive, const std::string& tenant,
                                               const std::string& which) {
    std::optional<SegmentsBackupEntry> found;
    const auto documents = archive.history(tenant);
    for (size_t i = 0; i < documents.size(); ++i) {
        // Only this module's entries matter here; other types are read by their owners.
        if (documents[i].find("\"segments\"") == std::string::npos) continue;
        const HistoryEntry e = parse_history_entry(documents[i], i + 1);
        if (e.type != HistoryType::segments) continue;
        if (which.empty() || e.segments.name == which ||
            e.segments.name == "segments-" + which + ".json")
            found = e.segments;
    }
    return found;
}

std::string read_object(plugin::Archive& archive, const std::string& tenant,
                        const std::string& sha256) {
    auto reader = archive.open(tenant, sha256);
    std::string bytes;
    char buffer[65536];
    while (size_t n = reader->read(buffer, sizeof buffer)) bytes.append(buffer, n);
    if (sha256_hex(bytes) != sha256)
        throw Error("the archived segment backup " + sha256 + " does not match its SHA-256");
    return bytes;
}

}  // namespace

SegmentBackupResult backup_segments(Runtime& runtime, SegmentStore& store,
                                    const std::string& tenant) {
    if (!runtime.profile().tenant(tenant)) throw Error("unknown tenant '" + tenant + "'");
    const int64_t now = runtime.clock()();
    const auto versions = store.all_versions(tenant);
    // Written by hand around each definition's canonical text: a JSON library would turn its
    // numbers into doubles and back, and they must stay exactly as written.
    std::string list;
    for (const auto& v : versions) {
        list += list.empty() ? "\n  " : ",\n  ";
        list +=
            "{\"id\":" + json(v.id).dump() + ",\"version\":" + std::to_string(v.version) +
            ",\"author\":" + json(v.author).dump(-1, ' ', false, json::error_handler_t::replace) +
            ",\"at_us\":" + std::to_string(v.at_us) + ",\"at\":\"" + format_timestamp(v.at_us) +
            "\",\"deleted\":" + (v.deleted ? "true" : "false") +
            ",\"definition\":" + (v.deleted ? std::string("null") : v.definition_json) + "}";
    }
    // No timestamp inside: the same definitions give the same bytes, so the archive keeps them
    // once and an unchanged day is recognised.
    const std::string bytes = std::string("{\"format\":\"") + kFormat +
                              "\",\"version\":1,\"tenant\":" + json(tenant).dump() +
                              ",\"segments\":[" + list + (list.empty() ? "" : "\n") + "]}\n";
    SegmentBackupResult result;
    result.tenant = tenant;
    result.name = "segments-" + format_timestamp(now).substr(0, 10) + ".json";
    result.sha256 = sha256_hex(bytes);
    result.versions = versions.size();
    result.bytes = bytes.size();

    plugin::Archive& archive = runtime.archive();
    const auto last = find_backup(archive, tenant, "");
    if (last && last->name == result.name && last->sha256 == result.sha256) return result;

    auto writer = archive.create(tenant);
    writer->write(bytes.data(), bytes.size());
    writer->commit(result.sha256);
    SegmentsBackupEntry entry{result.name, result.sha256, now, result.bytes, result.versions};
    archive.append_history(tenant, segments_entry_json(tenant, new_history_id(now), entry));
    result.written = true;
    runtime.log().event(plugin::LogLevel::info, "segments.backup",
                        {{"tenant", tenant},
                         {"name", result.name},
                         {"sha256", result.sha256},
                         {"versions", std::to_string(result.versions)}});
    return result;
}

std::optional<SegmentRestoreResult> restore_segment_definitions(Runtime& runtime,
                                                                SegmentStore& store,
                                                                const std::string& tenant,
                                                                const std::string& which) {
    plugin::Archive& archive = runtime.archive();
    const auto backup = find_backup(archive, tenant, which);
    if (!backup) return std::nullopt;
    const std::string bytes = read_object(archive, tenant, backup->sha256);
    std::vector<SegmentVersion> versions;
    const std::string where = "the segment backup " + backup->name + " of '" + tenant + "'";
    segment_doc::SyntaxError syntax;
    const auto doc = segment_doc::read_json(bytes, syntax);
    if (!doc) throw Error(where + " cannot be read: " + syntax.message);
    using segment_doc::Node;
    auto member = [&](const Node& object, const char* key, Node::Kind kind) -> const Node& {
        for (const auto& m : object.members)
            if (m.first == key && m.second.kind == kind) return m.second;
        throw Error(where + " has no valid '" + key + "'");
    };
    if (doc->kind != Node::Kind::object ||
        member(*doc, "format", Node::Kind::string).text != kFormat ||
        member(*doc, "version", Node::Kind::number).text != "1")
        throw Error(where + " is not a version 1 segment definitions backup");
    for (const Node& item : member(*doc, "segments", Node::Kind::array).items) {
        SegmentVersion v;
        v.id = member(item, "id", Node::Kind::string).text;
        v.version = std::stoll(member(item, "version", Node::Kind::number).text);
        v.deleted = member(item, "deleted", Node::Kind::boolean).boolean;
        v.author = member(item, "author", Node::Kind::string).text;
        v.at_us = std::stoll(member(item, "at_us", Node::Kind::number).text);
        if (!v.deleted) {
            // Re-validated: a backup is input like any other.
            const std::string text =
                segment_doc::write_canonical_json(member(item, "definition", Node::Kind::object));
            const ParsedDefinition parsed = parse_definition(text, DefinitionFormat::json);
            if (!parsed.definition)
                throw Error(where + ": segment '" + v.id + "' version " +
                            std::to_string(v.version) +
                            " is not a valid definition: " + parsed.errors[0].to_string());
            v.definition_json = parsed.canonical_json;
        }
        versions.push_back(std::move(v));
    }
    SegmentRestoreResult result;
    result.name = backup->name;
    result.sha256 = backup->sha256;
    result.versions_in_backup = versions.size();
    result.imported = store.import_versions(tenant, versions);
    runtime.log().event(
        plugin::LogLevel::info, "segments.restored",
        {{"tenant", tenant}, {"name", result.name}, {"imported", std::to_string(result.imported)}});
    return result;
}

DailySegmentBackup::DailySegmentBackup(Runtime& runtime, SegmentStore& store,
                                       std::chrono::milliseconds tick)
    : runtime_(runtime), store_(store), tick_(tick) {
    if (tick_.count() == 0) return;  // driven by a Scheduler instead
    thread_ = std::thread([this] {
        std::unique_lock<std::mutex> lock(mutex_);
        while (!stopping_) {
            lock.unlock();
            run_once();
            lock.lock();
            wake_.wait_for(lock, tick_, [this] { return stopping_; });
        }
    });
}

DailySegmentBackup::~DailySegmentBackup() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

size_t DailySegmentBackup::run_once() {
    size_t written = 0;
    for (const auto& tenant : runtime_.profile().tenants) {
        try {
            if (store_.all_versions(tenant.id).empty()) continue;  // nothing to keep yet
            if (backup_segments(runtime_, store_, tenant.id).written) ++written;
        } catch (const std::exception& e) {
            runtime_.log().event(plugin::LogLevel::error, "segments.backup_failed",
                                 {{"tenant", tenant.id}, {"reason", e.what()}});
        }
    }
    return written;
}

}  // namespace sightline::core
