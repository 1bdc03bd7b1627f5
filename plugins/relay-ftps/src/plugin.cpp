// The plugin's entry point: its descriptor and factory.
#include <memory>

#include "relay.hpp"
#include "relay_config.hpp"
#include "sightline/plugin/api.hpp"

namespace {

std::unique_ptr<sightline::plugin::Plugin> create(const sightline::plugin::CreateContext& context) {
    if (context.host == nullptr) throw sightline::plugin::Error("relay-ftps: no host services");
    return std::make_unique<sightline::relay_ftps::RelayFtps>(
        sightline::relay_ftps::parse_config(context.config_json), *context.host);
}

}  // namespace

static const sl_plugin_descriptor descriptor = SIGHTLINE_DESCRIPTOR(
    "relay-ftps", "transport", "0.1.0", "Apache-2.0",
    "Relays each completed upload over FTPS to the load server's intake and returns its verdict",
    sightline::relay_ftps::config_schema_json, &create);
SIGHTLINE_PLUGIN(descriptor)
