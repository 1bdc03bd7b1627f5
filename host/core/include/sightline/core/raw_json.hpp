// Putting JSON text that must stay byte-for-byte (a segment definition, whose numbers are exact
// decimals) inside a document built with nlohmann::json, which would turn those numbers into
// doubles: put raw_json_placeholder(i) where raw text i belongs, dump, then splice.
#pragma once

#include <string>
#include <vector>

namespace sightline::core {

// A string value no real document contains (control characters around an index).
inline std::string raw_json_placeholder(size_t index) {
    return "\x01raw-json-" + std::to_string(index) + "\x01";
}

// Replaces each dumped placeholder ("\u0001raw-json-N\u0001", quotes included) by raws[N].
inline std::string splice_raw_json(std::string dumped, const std::vector<std::string>& raws) {
    for (size_t i = 0; i < raws.size(); ++i) {
        const std::string marker = "\"\\u0001raw-json-" + std::to_string(i) + "\\u0001\"";
        const auto at = dumped.find(marker);
        if (at != std::string::npos) dumped.replace(at, marker.size(), raws[i]);
    }
    return dumped;
}

}  // namespace sightline::core
