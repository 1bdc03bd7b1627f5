// The JSON config schema embedded in the descriptor (docs/plugin-authors.md#config-schema). A
// constant, so that the descriptor is constant-initialized and readable without running code.
#pragma once

namespace sightline::target_sqlite {

inline constexpr char kConfigSchema[] = R"json({
  "dir": {"type": "string", "required": true,
          "description": "Folder of the tenant databases, one <tenant>.sqlite file each (created 0700 if missing)"},
  "synchronous": {"type": "string", "default": "normal", "enum": ["normal", "full"],
                  "description": "SQLite synchronous level in WAL mode: normal may lose the last commits on power loss but never corrupts; full also makes every commit durable"},
  "busy_timeout_ms": {"type": "integer", "default": 10000, "minimum": 0, "maximum": 600000,
                      "description": "How long a writer waits for another writer of the same tenant before failing (transient error)"},
  "cache_size_mib": {"type": "integer", "default": 4, "minimum": 1, "maximum": 1024,
                     "description": "Page cache per open tenant connection, in MiB; also the size of the runs SQLite sorts in memory when it builds an index (the operating system's file cache backs both)"}
})json";

}  // namespace sightline::target_sqlite
