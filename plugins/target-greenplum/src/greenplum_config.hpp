// target-greenplum's own keys, next to the shared ones of target-postgres's PgConfig.
#pragma once

#include <nlohmann/json.hpp>

#include "config.hpp"
#include "greenplum_dialect.hpp"

namespace sightline::target_greenplum {

inline GreenplumOptions parse_options(const nlohmann::json& config) {
    GreenplumOptions options;
    options.partition_start =
        target_pg::string_or(config, "partition_start", options.partition_start);
    options.partition_end = target_pg::string_or(config, "partition_end", options.partition_end);
    options.compresslevel = target_pg::integer_in_range(config, "compresslevel", 5, 1, 19);
    check_options(options);
    return options;
}

}  // namespace sightline::target_greenplum
