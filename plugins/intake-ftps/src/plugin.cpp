// The plugin's entry point: its descriptor and factory.
#include <memory>

#include "config.hpp"
#include "server.hpp"
#include "sightline/plugin/api.hpp"

namespace {

std::unique_ptr<sightline::plugin::Plugin> create(const sightline::plugin::CreateContext& context) {
    if (context.host == nullptr) throw sightline::plugin::Error("intake-ftps: no host services");
    return std::make_unique<sightline::intake_ftps::Server>(
        sightline::intake_ftps::parse_config(context.config_json), *context.host);
}

}  // namespace

static const sl_plugin_descriptor descriptor = SIGHTLINE_DESCRIPTOR(
    "intake-ftps", "transport", "0.1.0", "Apache-2.0",
    "Upload-only explicit FTPS server (RFC 4217) that submits each complete upload",
    sightline::intake_ftps::config_schema_json, &create);
SIGHTLINE_PLUGIN(descriptor)
