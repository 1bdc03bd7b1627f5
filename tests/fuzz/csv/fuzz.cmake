# An uploaded sales or catalog file through the load's first half (parse_into: CSV reader, file
# format, personal-data guard) into a sink store, and the CSV reader alone with a small record
# limit.
sightline_fuzz_target(csv LIBRARIES sightline_core)
