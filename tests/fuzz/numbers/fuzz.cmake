# The decimal, exact number and timestamp parsers: project sources compiled in directly (three
# small files, no need to build all of sightline_core for them).
sightline_fuzz_target(numbers
  SOURCES ${PROJECT_SOURCE_DIR}/host/core/src/decimal.cpp
          ${PROJECT_SOURCE_DIR}/host/core/src/exact_number.cpp
          ${PROJECT_SOURCE_DIR}/host/core/src/timestamp.cpp
  INCLUDES ${PROJECT_SOURCE_DIR}/host/core/include ${PROJECT_SOURCE_DIR}/host/core/src)
