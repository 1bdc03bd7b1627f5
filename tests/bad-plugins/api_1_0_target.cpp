// A target plugin as built against plugin API 1.0 (before deletion and drop existed): the host
// loads it, and refuses the 1.1 features on it with a message instead of calling into a vtable
// slot the plugin does not have.
#include "sightline/plugin/target.hpp"

namespace {

class OldTarget : public sightline::plugin::Target {
public:
    std::string dialect() const override { return "sqlite"; }
    std::unique_ptr<sightline::plugin::TenantStore> open(const std::string&) override {
        throw sightline::plugin::Error("api-1-0-target keeps no data");
    }
};

std::unique_ptr<sightline::plugin::Plugin> create(const sightline::plugin::CreateContext&) {
    return std::make_unique<OldTarget>();
}

const sl_plugin_descriptor descriptor = {sizeof(sl_plugin_descriptor),
                                         1,
                                         0,
                                         SIGHTLINE_ABI_TAG,
                                         "api-1-0-target",
                                         "target",
                                         "1.0.0",
                                         "Apache-2.0",
                                         "a target built for plugin API 1.0",
                                         "{}",
                                         &create,
                                         nullptr};
}  // namespace
SIGHTLINE_PLUGIN(descriptor)
