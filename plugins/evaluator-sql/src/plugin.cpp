// The plugin's entry point: its descriptor and create function.
#include <memory>

#include "sightline/plugin/api.hpp"
#include "sql_evaluator.hpp"

namespace {

std::unique_ptr<sightline::plugin::Plugin> create(const sightline::plugin::CreateContext&) {
    return std::make_unique<sightline::evaluator_sql::SqlEvaluator>();
}

}  // namespace

static const sl_plugin_descriptor descriptor = SIGHTLINE_DESCRIPTOR(
    "evaluator-sql", "evaluator", "0.1.0", "Apache-2.0",
    "Segments as one SQL statement per definition, run in the tenant's database (SQLite, "
    "PostgreSQL, Greenplum)",
    "{}", &create);

SIGHTLINE_PLUGIN(descriptor)
