// The JSON config schema embedded in the descriptor (docs/plugin-authors.md#config-schema). A
// constant, so that the descriptor is constant-initialized and readable without running code.
#pragma once

namespace sightline::target_sqlite {

inline constexpr char kConfigSchema[] = R"json({
"dir": {"type": "string", "required": true, "description":
  "Folder of the tenant databases, one <tenant>.sqlite each (created 0700 if missing)"},
"synchronous": {"type": "string", "default": "normal", "enum": ["normal", "full"], "description":
  "SQLite synchronous level in WAL mode; full also makes each commit survive power loss"},
"busy_timeout_ms": {"type": "integer", "default": 10000, "minimum": 0, "maximum": 600000,
  "description": "How long a load waits for another writer of the tenant (then: transient error)"},
"cache_size_mib": {"type": "integer", "default": 4, "minimum": 1, "maximum": 1024, "description":
  "Page cache per tenant connection, MiB; also the in-memory run size of index builds"}
})json";

}  // namespace sightline::target_sqlite
