// target-postgres's entry point: its descriptor and create function.
#include <memory>
#include <nlohmann/json.hpp>

#include "config.hpp"
#include "config_schema.hpp"
#include "dialect.hpp"
#include "pg_target.hpp"
#include "sightline/plugin/api.hpp"

namespace {

using sightline::plugin::CreateContext;
using sightline::plugin::Error;
using sightline::plugin::Plugin;
namespace pg = sightline::target_pg;

std::unique_ptr<Plugin> create(const CreateContext& context) {
    try {
        // The dialect is a static object: a non-owning shared_ptr.
        std::shared_ptr<const pg::Dialect> dialect(std::shared_ptr<void>(),
                                                   &pg::postgres_dialect());
        return std::make_unique<pg::PgTarget>(
            dialect, pg::parse_config(pg::parse_config_json(context.config_json)), context.host);
    } catch (const std::exception& e) {
        throw Error("target-postgres (" + context.instance_name + "): " + e.what());
    } catch (...) {
        throw Error("target-postgres (" + context.instance_name + "): unknown failure");
    }
}

}  // namespace

static const sl_plugin_descriptor descriptor = SIGHTLINE_DESCRIPTOR(
    "target-postgres", "target", "0.1.0", "Apache-2.0",
    "Tenant databases in PostgreSQL: one database and role per tenant, exact numeric types",
    sightline::target_pg::kConfigSchema, &create);

SIGHTLINE_PLUGIN(descriptor)
