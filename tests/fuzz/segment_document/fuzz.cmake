# Segment definitions, JSON and YAML, through the validator the HTTP API and the CLI use
# (parse_definition), and the document reader and canonical writer underneath it.
sightline_fuzz_target(segment_document
  LIBRARIES sightline_core
  INCLUDES ${PROJECT_SOURCE_DIR}/host/core/src)
