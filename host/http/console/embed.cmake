# The console's static files (this folder's .html, .css, .js) compiled into sightline_http as
# byte arrays, so the binary serves them with nothing installed beside it and nothing built at
# run time. Included from host/CMakeLists.txt after sightline_http is defined. The generated
# file is remade whenever an asset changes.
file(GLOB console_assets CONFIGURE_DEPENDS
  "${CMAKE_CURRENT_LIST_DIR}/*.html" "${CMAKE_CURRENT_LIST_DIR}/*.css" "${CMAKE_CURRENT_LIST_DIR}/*.js")
list(SORT console_assets)
set(console_assets_cpp "${CMAKE_CURRENT_BINARY_DIR}/console_assets.cpp")
add_custom_command(
  OUTPUT "${console_assets_cpp}"
  COMMAND "${CMAKE_COMMAND}" "-DOUTPUT=${console_assets_cpp}" "-DASSETS=${console_assets}"
          -P "${CMAKE_CURRENT_LIST_DIR}/embed_assets.cmake"
  DEPENDS ${console_assets} "${CMAKE_CURRENT_LIST_DIR}/embed_assets.cmake"
  COMMENT "Embedding the console's assets"
  VERBATIM)
target_sources(sightline_http PRIVATE "${console_assets_cpp}")
target_include_directories(sightline_http PRIVATE "${CMAKE_CURRENT_LIST_DIR}/../src")
