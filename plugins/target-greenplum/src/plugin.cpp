// target-greenplum's entry point: the shared PostgreSQL-family target with the Greenplum dialect.
#include <memory>
#include <nlohmann/json.hpp>

#include "config_schema.hpp"
#include "greenplum_config.hpp"
#include "pg_target.hpp"
#include "sightline/plugin/api.hpp"

namespace {

using sightline::plugin::CreateContext;
using sightline::plugin::Error;
using sightline::plugin::Plugin;
namespace pg = sightline::target_pg;
namespace gp = sightline::target_greenplum;

std::unique_ptr<Plugin> create(const CreateContext& context) {
    try {
        const auto config = pg::parse_config_json(context.config_json);
        return std::make_unique<pg::PgTarget>(
            std::make_shared<gp::GreenplumDialect>(gp::parse_options(config)),
            pg::parse_config(config), context.host);
    } catch (const std::exception& e) {
        throw Error("target-greenplum (" + context.instance_name + "): " + e.what());
    } catch (...) {
        throw Error("target-greenplum (" + context.instance_name + "): unknown failure");
    }
}

}  // namespace

static const sl_plugin_descriptor descriptor = SIGHTLINE_DESCRIPTOR(
    "target-greenplum", "target", "0.1.0", "Apache-2.0",
    "Tenant databases in Greenplum 7 / Cloudberry: column-oriented, distributed by customer, "
    "partitioned by month",
    sightline::target_greenplum::kConfigSchema, &create);

SIGHTLINE_PLUGIN(descriptor)
