// A shared object with the right name but no sightline_plugin_v1 entry point.
extern "C" __attribute__((visibility("default"))) int some_other_function() { return 42; }
