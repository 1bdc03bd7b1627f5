// Timestamps as the sales format defines them, stored as int64 microseconds since the epoch (UTC).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sightline::core {

// Accepts YYYY-MM-DD (midnight UTC), YYYY-MM-DDTHH:MM:SSZ, and YYYY-MM-DDTHH:MM:SS+HH:MM / -HH:MM,
// with optional fractional seconds (.f to any digits; beyond microseconds is an error, never
// rounded). Calendar-checked (no 2026-02-30, no hour 24, no leap second 60).
// On failure returns nullopt and sets reason.
std::optional<int64_t> parse_timestamp(std::string_view text, std::string& reason);

// ISO 8601 UTC: 2026-11-29T13:55:00Z, with .ffffff only when the microseconds are not zero.
std::string format_timestamp(int64_t micros);

}  // namespace sightline::core
