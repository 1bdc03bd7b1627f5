# sightline_add_plugin(<target> ID <plugin-id> SOURCES <files>...)
#
# Builds a Sightline plugin: a shared object named sightline-<id>.so, compiled with hidden
# visibility so that only the entry point (SIGHTLINE_PLUGIN) is exported, linked with
# --no-undefined so a missing symbol fails the build instead of the load, and with the
# symbols of static libraries it links kept local.
function(sightline_add_plugin target)
  cmake_parse_arguments(ARG "" "ID" "SOURCES" ${ARGN})
  if(NOT ARG_ID)
    message(FATAL_ERROR "sightline_add_plugin(${target}): ID is required")
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "sightline-${ARG_ID}"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  target_compile_features(${target} PRIVATE cxx_std_17)
  target_link_libraries(${target} PRIVATE Sightline::plugin_api)
  # Hidden visibility still leaves some template instantiations global: a version script makes
  # the entry point the only exported symbol.
  set(map "${CMAKE_BINARY_DIR}/sightline-plugin-exports.map")
  if(NOT EXISTS "${map}")
    file(WRITE "${map}" "{ global: sightline_plugin_v1; local: *; };\n")
  endif()
  target_link_options(${target} PRIVATE "LINKER:--no-undefined" "LINKER:--exclude-libs,ALL"
                      "LINKER:--version-script=${map}")
  set_property(GLOBAL APPEND PROPERTY SIGHTLINE_PLUGIN_TARGETS ${target})
endfunction()
