// The plugin's entry point: its descriptor and create function.
#include <memory>

#include "config.hpp"
#include "ftps_archive.hpp"
#include "sightline/plugin/api.hpp"

namespace {

using sightline::plugin::CreateContext;
using sightline::plugin::Error;
using sightline::plugin::Plugin;

std::unique_ptr<Plugin> create(const CreateContext& context) {
    try {
        return std::make_unique<sightline::archive_ftps::FtpsArchive>(
            sightline::archive_ftps::parse_config(context.config_json), context.host);
    } catch (const Error& e) {
        throw Error("archive-ftps (" + context.instance_name + "): " + e.what(), e.transient());
    } catch (const std::exception& e) {
        throw Error("archive-ftps (" + context.instance_name + "): " + e.what());
    }
}

}  // namespace

static const sl_plugin_descriptor descriptor = SIGHTLINE_DESCRIPTOR(
    "archive-ftps", "archive", "0.1.0", "Apache-2.0",
    "Archive on a remote FTPS server (off-host backup store): SHA-256-named objects, verified on "
    "read, and history",
    sightline::archive_ftps::config_schema_json, &create);

SIGHTLINE_PLUGIN(descriptor)
