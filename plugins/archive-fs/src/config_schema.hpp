// The JSON config schema embedded in the descriptor (docs/plugin-authors.md#config-schema). A
// constant, so that the descriptor is constant-initialized and readable without running code.
#pragma once

namespace sightline::archive_fs {

inline constexpr char kConfigSchema[] = R"json({
"root": {"type": "string", "required": true, "description":
  "Folder of the archive: <root>/<tenant>/objects/ and history.jsonl (created 0700 if missing)"},
"compression": {"type": "string", "default": "zstd", "enum": ["none", "zstd"], "description":
  "How new objects are stored; objects stored either way stay readable"},
"zstd_level": {"type": "integer", "default": 3, "minimum": 1, "maximum": 19, "description":
  "zstd compression level of new objects (higher: smaller, slower)"},
"zstd_workers": {"type": "integer", "default": 1, "minimum": 0, "maximum": 8, "description":
  "Threads that compress beside the load (0: compress on the loading thread)"},
"fsync": {"type": "boolean", "default": true, "description":
  "fsync objects, history lines and folders before reporting success; off only for tests"}
})json";

}  // namespace sightline::archive_fs
