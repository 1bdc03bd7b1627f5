# A tenant's history.jsonl through archive-fs (reading, torn-line repair on append, objects) and
# the host's history parser: archive-fs's object library and the four host sources the parser
# needs, compiled in directly (not all of sightline_core).
set(core_src ${PROJECT_SOURCE_DIR}/host/core/src)
sightline_fuzz_target(archive_history
  SOURCES ${core_src}/history.cpp ${core_src}/json_input.cpp ${core_src}/timestamp.cpp
          ${core_src}/sha256.cpp
  LIBRARIES sightline_archive_fs_impl
  INCLUDES ${PROJECT_SOURCE_DIR}/host/core/include)
