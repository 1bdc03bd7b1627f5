# evaluator-columnar's snapshot reader, then evaluation and report totals over what it accepts:
# the plugin's object library (compiled for the fuzz tree like every project object).
sightline_fuzz_target(columnar_snapshot LIBRARIES sightline_evaluator_columnar_impl)
