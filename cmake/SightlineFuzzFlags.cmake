# SIGHTLINE_FUZZ=ON: every project object is compiled for libFuzzer (coverage feedback without
# libFuzzer's main) with AddressSanitizer and UndefinedBehaviorSanitizer; the fuzz targets alone
# link libFuzzer (tests/fuzz/CMakeLists.txt). Only `fuzz_all` and what it links get built, so
# this tree is not a third full build.
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "SIGHTLINE_FUZZ needs clang (libFuzzer): configure with "
                      "CC=clang-15 CXX=clang++-15")
endif()
if(SIGHTLINE_SANITIZE)
  message(FATAL_ERROR "SIGHTLINE_FUZZ brings its own sanitizers; leave SIGHTLINE_SANITIZE empty")
endif()
set(SIGHTLINE_FUZZ_SANITIZERS "address,undefined")
# Any undefined behaviour is a finding: abort so libFuzzer keeps the input. Line tables are
# enough for symbolised stack traces and compile much faster than full debug information. -O1
# (after the build type's -O2, so it wins) compiles about 15% faster, which counts in CI where
# the fuzz step builds from scratch, and is what libFuzzer's documentation builds with.
add_compile_options(-O1 -fsanitize=fuzzer-no-link,${SIGHTLINE_FUZZ_SANITIZERS}
                    -fno-sanitize-recover=all -fno-omit-frame-pointer -gline-tables-only)
add_link_options(-fsanitize=${SIGHTLINE_FUZZ_SANITIZERS})
