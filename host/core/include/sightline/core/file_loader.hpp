// The part of a load that every path into a tenant's database shares (an upload, a restore's
// replay): CSV -> typed values -> personal-data guard -> an open load transaction. The caller
// decides what becomes of the file (commit, record a refusal, discard).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sightline/core/csv_reader.hpp"
#include "sightline/core/file_format.hpp"
#include "sightline/core/profile.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::core {

constexpr size_t max_reported_errors = 100;

struct ParsedFile {
    uint64_t rows = 0;                // valid records seen
    uint64_t error_count = 0;         // all errors
    std::vector<FormatError> errors;  // the first max_reported_errors
    bool personal_data = false;       // the guard refused; reading stopped early
    // Open and holding every row when error_count == 0; otherwise null (rolled back).
    std::unique_ptr<plugin::LoadTransaction> transaction;

    void add_error(FormatError e);
};

// Reads the whole source (or up to the first personal data) into a new load transaction of
// the store. Errors in the data are reported in the result; failures of the source or the
// store are thrown.
ParsedFile parse_into(plugin::TenantStore& store, const TenantProfile& tenant,
                      plugin::FileKind kind, plugin::LoadMode mode, const ByteSource& source);

}  // namespace sightline::core
