// A plugin claiming another C++ ABI: refused before any of its C++ objects cross the boundary.
#include "sightline/plugin/archive.hpp"

namespace {
std::unique_ptr<sightline::plugin::Plugin> create(const sightline::plugin::CreateContext&) {
    return nullptr;
}
const sl_plugin_descriptor descriptor = {sizeof(sl_plugin_descriptor),
                                         1,
                                         0,
                                         "msvc/msvcprt",
                                         "wrong-abi",
                                         "archive",
                                         "1.0.0",
                                         "Apache-2.0",
                                         "other ABI",
                                         "{}",
                                         &create,
                                         nullptr};
}  // namespace
SIGHTLINE_PLUGIN(descriptor)
