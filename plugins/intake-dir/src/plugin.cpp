// The plugin's entry point: its descriptor and factory.
#include <memory>

#include "config.hpp"
#include "intake_dir.hpp"
#include "sightline/plugin/api.hpp"

namespace {

std::unique_ptr<sightline::plugin::Plugin> create(const sightline::plugin::CreateContext& context) {
    if (context.host == nullptr) throw sightline::plugin::Error("intake-dir: no host services");
    return std::make_unique<sightline::intake_dir::IntakeDir>(
        sightline::intake_dir::parse_config(context.config_json), *context.host);
}

}  // namespace

static const sl_plugin_descriptor descriptor = SIGHTLINE_DESCRIPTOR(
    "intake-dir", "transport", "0.1.0", "Apache-2.0",
    "Watches per-tenant landing folders and submits complete files, oldest first",
    sightline::intake_dir::config_schema_json, &create);
SIGHTLINE_PLUGIN(descriptor)
