// The plugin's entry point: its descriptor and create function.
#include <memory>

#include "config.hpp"
#include "config_schema.hpp"
#include "sightline/plugin/api.hpp"
#include "sqlite_target.hpp"

namespace {

using sightline::plugin::CreateContext;
using sightline::plugin::Error;
using sightline::plugin::Plugin;

std::unique_ptr<Plugin> create(const CreateContext& context) {
    try {
        return std::make_unique<sightline::target_sqlite::SqliteTarget>(
            sightline::target_sqlite::parse_config(context.config_json), context.host);
    } catch (const std::exception& e) {
        throw Error("target-sqlite (" + context.instance_name + "): " + e.what());
    } catch (...) {
        throw Error("target-sqlite (" + context.instance_name + "): unknown failure");
    }
}

}  // namespace

static const sl_plugin_descriptor descriptor = SIGHTLINE_DESCRIPTOR(
    "target-sqlite", "target", "0.1.0", "Apache-2.0",
    "Tenant databases in SQLite: one WAL-mode file per tenant, exact integer encodings",
    sightline::target_sqlite::kConfigSchema, &create);

SIGHTLINE_PLUGIN(descriptor)
