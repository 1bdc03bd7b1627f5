// The plugin's entry point: its descriptor and create function.
#include <memory>

#include "columnar_evaluator.hpp"
#include "config.hpp"
#include "config_schema.hpp"
#include "sightline/plugin/api.hpp"

namespace {

using sightline::plugin::CreateContext;
using sightline::plugin::Error;
using sightline::plugin::Plugin;

std::unique_ptr<Plugin> create(const CreateContext& context) {
    try {
        return std::make_unique<sightline::evaluator_columnar::ColumnarEvaluator>(
            sightline::evaluator_columnar::parse_config(context.config_json), context.host);
    } catch (const std::exception& e) {
        throw Error("evaluator-columnar (" + context.instance_name + "): " + e.what());
    } catch (...) {
        throw Error("evaluator-columnar (" + context.instance_name + "): unknown failure");
    }
}

}  // namespace

static const sl_plugin_descriptor descriptor = SIGHTLINE_DESCRIPTOR(
    "evaluator-columnar", "evaluator", "0.1.0", "Apache-2.0",
    "Segments and report totals over a resident, persisted column snapshot per tenant (any "
    "target dialect)",
    sightline::evaluator_columnar::kConfigSchema, &create);

SIGHTLINE_PLUGIN(descriptor)
