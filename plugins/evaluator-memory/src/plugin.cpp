// The plugin's entry point: its descriptor and create function.
#include <memory>

#include "config_schema.hpp"
#include "memory_evaluator.hpp"
#include "sightline/plugin/api.hpp"

namespace {

using sightline::plugin::CreateContext;
using sightline::plugin::Error;
using sightline::plugin::Plugin;

std::unique_ptr<Plugin> create(const CreateContext& context) {
    try {
        // No settings: the host has checked the section against the empty schema.
        return std::make_unique<sightline::evaluator_memory::MemoryEvaluator>();
    } catch (const std::exception& e) {
        throw Error("evaluator-memory (" + context.instance_name + "): " + e.what());
    } catch (...) {
        throw Error("evaluator-memory (" + context.instance_name + "): unknown failure");
    }
}

}  // namespace

static const sl_plugin_descriptor descriptor = SIGHTLINE_DESCRIPTOR(
    "evaluator-memory", "evaluator", "0.1.0", "Apache-2.0",
    "Segment evaluation in the host process, written directly from the spec: the reference "
    "evaluator (any target dialect)",
    sightline::evaluator_memory::kConfigSchema, &create);

SIGHTLINE_PLUGIN(descriptor)
