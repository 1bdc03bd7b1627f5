// The JSON config schema embedded in target-greenplum's descriptor: target-postgres's keys plus
// the storage of the sale lines (docs/plugin-authors.md#config-schema).
#pragma once

#include "../../target-postgres/src/config_schema.hpp"

namespace sightline::target_greenplum {

inline constexpr char kConfigSchema[] =
    "{" SIGHTLINE_TARGET_PG_SHARED_KEYS
    ",\n"
    "\"partition_start\": {\"type\": \"string\", \"default\": \"2020-01-01\", \"description\": "
    "\"First monthly partition of sale_lines (YYYY-MM-01, inclusive)\"},\n"
    "\"partition_end\": {\"type\": \"string\", \"default\": \"2031-01-01\", \"description\": "
    "\"End of the last monthly partition (YYYY-MM-01, exclusive); other lines go to the DEFAULT "
    "partition\"},\n"
    "\"compresslevel\": {\"type\": \"integer\", \"default\": 5, \"minimum\": 1, \"maximum\": 19, "
    "\"description\": \"zstd level of the column-oriented sale lines\"}}";

}  // namespace sightline::target_greenplum
