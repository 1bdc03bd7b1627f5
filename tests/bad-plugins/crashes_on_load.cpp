// Crashes in a static constructor, i.e. while the dynamic loader runs it: probes must survive.
#include <csignal>

#include "sightline/plugin/archive.hpp"

namespace {
std::unique_ptr<sightline::plugin::Plugin> create(const sightline::plugin::CreateContext&) {
    return nullptr;
}
const sl_plugin_descriptor descriptor = SIGHTLINE_DESCRIPTOR(
    "crashes-on-load", "archive", "1.0.0", "Apache-2.0", "segfaults when loaded", "{}", &create);
struct Crash {
    Crash() { std::raise(SIGSEGV); }
} crash;
}  // namespace
SIGHTLINE_PLUGIN(descriptor)
