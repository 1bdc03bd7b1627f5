// The plugin's settings (config_schema.hpp), parsed from the validated profile section.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace sightline::evaluator_columnar {

struct ColumnarConfig {
    uint64_t max_resident_lines = 0;  // 0: no limit
    std::map<std::string, uint64_t> tenant_max_resident_lines;
    bool persist = true;

    // The limit in force for a tenant (0: none).
    uint64_t limit_for(const std::string& tenant) const {
        auto it = tenant_max_resident_lines.find(tenant);
        return it == tenant_max_resident_lines.end() ? max_resident_lines : it->second;
    }
};

// Throws plugin::Error naming the bad key.
ColumnarConfig parse_config(const std::string& config_json);

}  // namespace sightline::evaluator_columnar
