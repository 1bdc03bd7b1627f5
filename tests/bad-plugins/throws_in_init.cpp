// A valid descriptor whose create() throws: the host reports the plugin and the reason.
#include <stdexcept>

#include "sightline/plugin/archive.hpp"

namespace {
std::unique_ptr<sightline::plugin::Plugin> create(const sightline::plugin::CreateContext&) {
    throw std::runtime_error("cannot reach the storage service");
}
const sl_plugin_descriptor descriptor = SIGHTLINE_DESCRIPTOR(
    "throws-in-init", "archive", "1.0.0", "Apache-2.0", "throws when created", "{}", &create);
}  // namespace
SIGHTLINE_PLUGIN(descriptor)
