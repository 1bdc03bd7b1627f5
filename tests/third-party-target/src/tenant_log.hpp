// A tenant's data: everything committed to its log file (log_format.hpp), read whole into memory.
// Correctness over speed: every read parses the file again, so that separate processes (a
// `sightline load`, a `sightline serve`) always see each other's commits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sightline/plugin/target.hpp"

namespace sightline::target_thirdparty {

// One custom cell: text for string columns, the integer encoding (data.hpp) for the others.
struct Cell {
    bool present = false;
    std::string text;
    int64_t number = 0;
};

struct SalesLine {
    uint64_t file_id = 0;
    std::string order;
    int64_t ts = 0;
    uint64_t customer = 0;
    std::string item;
    int64_t price = 0, quantity = 0;
    std::vector<Cell> custom;  // in TenantLog::sales_columns order; shorter = missing at the end
};

struct CatalogEntry {
    std::string item, category;
    Cell title, brand;
    std::vector<Cell> custom;
};

struct FileEntry {
    uint64_t id = 0;
    sightline::plugin::FileRecord record;
};

struct TenantLog {
    std::string incarnation;
    std::vector<sightline::plugin::Column> sales_columns, catalog_columns;
    std::vector<SalesLine> lines;  // insertion order
    std::vector<CatalogEntry> catalog;
    std::vector<FileEntry> files;  // recording order: ids ascending
    std::vector<sightline::plugin::DeletionRecord> deletions;
    uint64_t committed_bytes = 0;  // the file's length up to its last commit

    uint64_t last_file_id() const { return files.empty() ? 0 : files.back().id; }
    sightline::plugin::DataVersion version() const;
};

// Parses the log file at path; throws Error when it cannot be read or is not a tenant log.
TenantLog read_log(const std::string& path);

// Record texts, each ending with '\n'.
std::string incarnation_record(const std::string& incarnation);
std::string column_record(const char* kind, const sightline::plugin::Column& column);
std::string file_record(const FileEntry& file);
std::string deletion_record(const sightline::plugin::DeletionRecord& deletion);
std::string sales_line_record(const SalesLine& line,
                              const std::vector<sightline::plugin::Column>& columns);
std::string catalog_record(const CatalogEntry& entry,
                           const std::vector<sightline::plugin::Column>& columns);
constexpr const char* kCatalogReset = "R\n";
constexpr const char* kCommit = ".\n";

// The whole state as the records of a new file, without the final commit (a rewrite adds its own
// records, then kCommit). with_lines false: the sales lines are left out (a full upload).
std::string snapshot_records(const TenantLog& log, bool with_lines);

// The exact decimal text of a sum of millionths, as TenantStats::revenue wants it.
std::string millionths_text(__int128 sum);

}  // namespace sightline::target_thirdparty
