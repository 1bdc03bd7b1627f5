// The JSON config schema embedded in the descriptor (docs/plugin-authors.md#config-schema). A
// constant, so that the descriptor is constant-initialized and readable without running code.
#pragma once

namespace sightline::evaluator_columnar {

inline constexpr char kConfigSchema[] = R"json({
"max_resident_lines": {"type": "integer", "default": 0, "minimum": 0, "description":
  "Decline a tenant with more sales lines than this (the next evaluator of the profile answers); 0: no limit"},
"tenant_max_resident_lines": {"type": "object", "description":
  "Per tenant id, a limit that replaces max_resident_lines for that tenant (integer >= 0; 0: no limit)"},
"persist": {"type": "boolean", "default": true, "description":
  "Keep each tenant's snapshot in the plugin's state folder, so other commands and restarts open it instead of re-reading the database"}
})json";

}  // namespace sightline::evaluator_columnar
