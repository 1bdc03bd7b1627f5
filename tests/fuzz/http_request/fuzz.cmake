# The HTTP request path of the internal listener (http::Server::handle_bytes) with every route
# `serve` mounts there, over an in-process runtime. The plugins it loads come from an ordinary
# build (a shared object of the fuzz tree cannot link: its sanitizer symbols live in the fuzz
# binary): SIGHTLINE_FUZZ_PLUGIN_DIR at run time, or this default, CI's main build.
set(SIGHTLINE_FUZZ_PLUGIN_DIR "${PROJECT_SOURCE_DIR}/build/test/${SIGHTLINE_PLUGIN_SUBDIR}"
    CACHE PATH "Plugins the http_request fuzz target loads (an uninstrumented build's)")
sightline_fuzz_target(http_request LIBRARIES sightline_http sightline_core sightline_ftps_common)
target_compile_definitions(fuzz_http_request PRIVATE
  SIGHTLINE_FUZZ_PLUGIN_DIR="${SIGHTLINE_FUZZ_PLUGIN_DIR}")
