#include "sightline/core/history.hpp"

#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>

#include "sightline/core/json_input.hpp"
#include "sightline/core/timestamp.hpp"

namespace sightline::core {

using nlohmann::json;
using plugin::Error;

namespace {

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

template <typename E>
E enum_named(const json& j, const char* key, std::initializer_list<E> values, size_t position) {
    const std::string text = j.value(key, std::string());
    for (E v : values)
        if (text == plugin::to_string(v)) return v;
    throw Error("history entry " + std::to_string(position) + ": unknown " + key + " '" + text +
                "'");
}

// Numbers are read as integers only: get<int64_t>() would convert a float, which is undefined
// behaviour when it is out of range (1e300, found by fuzzing) and a silent truncation otherwise.
// A history this host wrote never holds a float.
int64_t signed_number(const json& j, const char* key, size_t position) {
    const json& v = j.at(key);
    if (v.is_number_unsigned() && v.get<uint64_t>() <= uint64_t(INT64_MAX))
        return static_cast<int64_t>(v.get<uint64_t>());
    if (v.is_number_integer() && !v.is_number_unsigned()) return v.get<int64_t>();
    throw Error("history entry " + std::to_string(position) + ": " + key +
                " is not an integer in range");
}

uint64_t unsigned_number(const json& v, const char* key, size_t position) {
    if (v.is_number_unsigned()) return v.get<uint64_t>();
    throw Error("history entry " + std::to_string(position) + ": " + key +
                " is not a non-negative integer");
}

uint64_t optional_unsigned(const json& j, const char* key, size_t position) {
    return j.contains(key) ? unsigned_number(j.at(key), key, position) : 0;
}

int64_t entry_time(const json& j, size_t position) {
    if (j.contains("at_us")) return signed_number(j, "at_us", position);
    std::string reason;
    auto at = parse_timestamp(j.value("at", std::string()), reason);
    if (!at) throw Error("history entry " + std::to_string(position) + ": bad time: " + reason);
    return *at;
}

}  // namespace

std::string new_history_id(int64_t at_us) {
    static thread_local std::mt19937_64 random{std::random_device{}()};
    char text[40];
    std::snprintf(text, sizeof text, "%016llx-%08llx", static_cast<unsigned long long>(at_us),
                  static_cast<unsigned long long>(random() & 0xffffffffu));
    return text;
}

std::string file_entry_json(const std::string& tenant, const std::string& id,
                            const plugin::FileRecord& r) {
    json j = {{"v", 1},
              {"type", "file"},
              {"id", id},
              {"tenant", tenant},
              {"name", r.name},
              {"sha256", r.sha256},
              {"kind", plugin::to_string(r.kind)},
              {"mode", plugin::to_string(r.mode)},
              {"result", plugin::to_string(r.result)},
              {"at", format_timestamp(r.at_us)},
              {"at_us", r.at_us},
              {"rows", r.rows},
              {"bytes", r.bytes}};
    if (!r.detail.empty()) j["detail"] = r.detail;
    return dump(j);
}

std::string deletion_entry_json(const std::string& tenant, const plugin::DeletionRequest& d) {
    json j = {{"v", 1},
              {"type", "deletion"},
              {"id", d.id},
              {"tenant", tenant},
              {"scope", plugin::to_string(d.scope)},
              {"at", format_timestamp(d.at_us)},
              {"at_us", d.at_us},
              {"reason", d.reason},
              {"operator", d.operator_name}};
    // The ids are kept here, in the archive beside the tenant's files, because a restore must
    // remove the same lines again. They never go to a log.
    switch (d.scope) {
        case plugin::DeletionScope::customers:
            j["customers"] = d.customers;
            break;
        case plugin::DeletionScope::orders:
            j["orders"] = d.orders;
            break;
        case plugin::DeletionScope::time_range:
            j["from_us"] = d.from_us;
            j["to_us"] = d.to_us;
            break;
    }
    return dump(j);
}

std::string cancelled_entry_json(const std::string& tenant, const std::string& cancels,
                                 int64_t at_us, const std::string& reason) {
    return dump({{"v", 1},
                 {"type", "cancelled"},
                 {"tenant", tenant},
                 {"cancels", cancels},
                 {"at", format_timestamp(at_us)},
                 {"at_us", at_us},
                 {"reason", reason}});
}

std::string segments_entry_json(const std::string& tenant, const std::string& id,
                                const SegmentsBackupEntry& backup) {
    return dump({{"v", 1},
                 {"type", "segments"},
                 {"id", id},
                 {"tenant", tenant},
                 {"name", backup.name},
                 {"sha256", backup.sha256},
                 {"at_us", backup.at_us},
                 {"at", format_timestamp(backup.at_us)},
                 {"bytes", backup.bytes},
                 {"versions", backup.versions}});
}

HistoryEntry parse_history_entry(const std::string& text, size_t position) {
    const std::string where = "history entry " + std::to_string(position);
    json j;
    try {
        j = parse_json_input(text);  // the archive may be another host's (archive-ftps)
    } catch (const std::exception& e) {
        throw Error(where + " is not valid JSON: " + e.what());
    }
    try {
        if (!j.is_object()) throw Error(where + " is not a JSON object");
        const auto version = j.find("v");
        if (version == j.end() || !version->is_number_integer() || *version != 1)
            throw Error(where + " has format version " +
                        (version == j.end() ? std::string("none") : dump(*version).substr(0, 24)) +
                        "; this host reads version 1");
        HistoryEntry e;
        e.id = j.value("id", std::string());
        const std::string type = j.value("type", std::string());
        if (type == "file") {
            e.type = HistoryType::file;
            plugin::FileRecord& r = e.file;
            r.name = j.at("name").get<std::string>();
            r.sha256 = j.at("sha256").get<std::string>();
            r.kind = enum_named(j, "kind", {plugin::FileKind::sales, plugin::FileKind::catalog},
                                position);
            r.mode = enum_named(j, "mode", {plugin::LoadMode::incremental, plugin::LoadMode::full},
                                position);
            r.result = enum_named(j, "result",
                                  {plugin::FileResult::loaded, plugin::FileResult::duplicate,
                                   plugin::FileResult::refused},
                                  position);
            r.at_us = entry_time(j, position);
            r.rows = optional_unsigned(j, "rows", position);
            r.bytes = optional_unsigned(j, "bytes", position);
            r.detail = j.value("detail", std::string());
        } else if (type == "deletion") {
            e.type = HistoryType::deletion;
            plugin::DeletionRequest& d = e.deletion;
            d.id = e.id;
            d.scope = enum_named(j, "scope",
                                 {plugin::DeletionScope::customers, plugin::DeletionScope::orders,
                                  plugin::DeletionScope::time_range},
                                 position);
            d.at_us = entry_time(j, position);
            d.reason = j.value("reason", std::string());
            d.operator_name = j.value("operator", std::string());
            if (d.scope == plugin::DeletionScope::customers) {
                const json& customers = j.at("customers");
                if (!customers.is_array()) throw Error(where + ": customers is not a list");
                for (const json& c : customers)
                    d.customers.push_back(unsigned_number(c, "customers", position));
            } else if (d.scope == plugin::DeletionScope::orders)
                d.orders = j.at("orders").get<std::vector<std::string>>();
            else {
                d.from_us = signed_number(j, "from_us", position);
                d.to_us = signed_number(j, "to_us", position);
            }
        } else if (type == "cancelled") {
            e.type = HistoryType::cancelled;
            e.cancels = j.at("cancels").get<std::string>();
            e.reason = j.value("reason", std::string());
        } else if (type == "segments") {
            e.type = HistoryType::segments;
            e.segments.name = j.at("name").get<std::string>();
            e.segments.sha256 = j.at("sha256").get<std::string>();
            e.segments.at_us = entry_time(j, position);
            e.segments.bytes = optional_unsigned(j, "bytes", position);
            e.segments.versions = optional_unsigned(j, "versions", position);
        } else {
            throw Error(where + " has unknown type '" + type +
                        "' (written by a newer host? upgrade this one)");
        }
        return e;
    } catch (const json::exception& e) {
        throw Error(where + " is incomplete: " + e.what());
    }
}

}  // namespace sightline::core
