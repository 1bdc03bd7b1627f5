// The plugin's entry point: its descriptor and create function.
#include <memory>

#include "config.hpp"
#include "config_schema.hpp"
#include "fs_archive.hpp"
#include "sightline/plugin/api.hpp"

namespace {

using sightline::plugin::CreateContext;
using sightline::plugin::Error;
using sightline::plugin::Plugin;

std::unique_ptr<Plugin> create(const CreateContext& context) {
    try {
        return std::make_unique<sightline::archive_fs::FsArchive>(
            sightline::archive_fs::parse_config(context.config_json), context.host);
    } catch (const std::exception& e) {
        throw Error("archive-fs (" + context.instance_name + "): " + e.what());
    } catch (...) {
        throw Error("archive-fs (" + context.instance_name + "): unknown failure");
    }
}

}  // namespace

static const sl_plugin_descriptor descriptor = SIGHTLINE_DESCRIPTOR(
    "archive-fs", "archive", "0.1.0", "Apache-2.0",
    "Archive in a local folder: per-tenant SHA-256-named objects (zstd), durable history",
    sightline::archive_fs::kConfigSchema, &create);

SIGHTLINE_PLUGIN(descriptor)
