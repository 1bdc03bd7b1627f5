// A plugin built for a future plugin API major: the host must refuse it, naming both versions.
#include "sightline/plugin/archive.hpp"

namespace {
std::unique_ptr<sightline::plugin::Plugin> create(const sightline::plugin::CreateContext&) {
    return nullptr;
}
const sl_plugin_descriptor descriptor = {sizeof(sl_plugin_descriptor),
                                         2,
                                         1,
                                         SIGHTLINE_ABI_TAG,
                                         "wrong-api-major",
                                         "archive",
                                         "1.0.0",
                                         "Apache-2.0",
                                         "built for API 2.1",
                                         "{}",
                                         &create,
                                         nullptr};
}  // namespace
SIGHTLINE_PLUGIN(descriptor)
