# The live test suite's sources, shared by target-postgres and target-greenplum (each adds its own
# *_backend.cpp naming the server to run against).
set(SIGHTLINE_PG_DIR "${CMAKE_CURRENT_LIST_DIR}")
set(SIGHTLINE_PG_LIVE_TEST_SOURCES
  ${SIGHTLINE_PG_DIR}/tests/live_support.cpp
  ${SIGHTLINE_PG_DIR}/tests/live_catalog_test.cpp
  ${SIGHTLINE_PG_DIR}/tests/live_data_version_test.cpp
  ${SIGHTLINE_PG_DIR}/tests/live_deletion_test.cpp
  ${SIGHTLINE_PG_DIR}/tests/live_failure_test.cpp
  ${SIGHTLINE_PG_DIR}/tests/live_first_load_test.cpp
  ${SIGHTLINE_PG_DIR}/tests/live_full_upload_test.cpp
  ${SIGHTLINE_PG_DIR}/tests/live_load_test.cpp
  ${SIGHTLINE_PG_DIR}/tests/live_security_test.cpp
  ${SIGHTLINE_PG_DIR}/tests/live_swap_test.cpp)
