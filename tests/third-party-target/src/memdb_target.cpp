// target-thirdparty: a target of kind "target" with a dialect the host has never heard of
// ("memdb"), written only against the public plugin API 1.5, as a third party would. Each
// tenant's data is one append-only log file under the config's `root` (tenant_log.hpp).
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "memdb_store.hpp"
#include "sightline/plugin/api.hpp"
#include "sightline/plugin/target.hpp"
#include "tenant_files.hpp"
#include "tenant_log.hpp"

namespace sightline::target_thirdparty {
namespace {

using sightline::plugin::Error;

bool valid_tenant(const std::string& id) {
    if (id.empty() || id.size() > 64) return false;
    for (size_t i = 0; i < id.size(); ++i) {
        const char c = id[i];
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '_' && c != '-'))) return false;
    }
    return true;
}

class MemdbTarget final : public sightline::plugin::Target {
public:
    explicit MemdbTarget(std::string root) : root_(std::move(root)) {
        std::error_code ec;
        if (!std::filesystem::is_directory(root_, ec)) {
            std::filesystem::create_directories(root_, ec);
            if (!ec) std::filesystem::permissions(root_, std::filesystem::perms::owner_all, ec);
            if (ec) throw Error("target-thirdparty: cannot create " + root_ + ": " + ec.message());
        }
    }

    std::string dialect() const override { return "memdb"; }

    std::unique_ptr<sightline::plugin::TenantStore> open(const std::string& tenant) override {
        TenantPaths paths = paths_of(tenant);
        if (::access(paths.log.c_str(), F_OK) != 0) {
            WriterLock lock(paths);
            if (::access(paths.log.c_str(), F_OK) != 0) {  // not made meanwhile by another
                PendingWrite write(paths, PendingWrite::Mode::replace, 0);
                write.write(incarnation_record(random_hex128()));
                write.commit();
            }
        }
        return std::make_unique<MemdbStore>(std::move(paths));
    }

    void drop(const std::string& tenant) override {
        const TenantPaths paths = paths_of(tenant);
        WriterLock lock(paths);
        if (::unlink(paths.log.c_str()) != 0 && errno != ENOENT) {
            throw Error("target-thirdparty: cannot remove " + paths.log + ": " +
                        std::strerror(errno));
        }
        sync_folder(root_);
    }

    std::string storage_name(const std::string& tenant) const override {
        return paths_of(tenant).log;
    }

private:
    TenantPaths paths_of(const std::string& tenant) const {
        if (!valid_tenant(tenant))
            throw Error("target-thirdparty: invalid tenant id '" + tenant + "'");
        return TenantPaths(root_, tenant);
    }

    std::string root_;
};

std::unique_ptr<sightline::plugin::Plugin> create(const sightline::plugin::CreateContext& context) {
    try {
        const auto config = nlohmann::json::parse(context.config_json);
        return std::make_unique<MemdbTarget>(config.at("root").get<std::string>());
    } catch (const std::exception& e) {
        throw Error("target-thirdparty (" + context.instance_name + "): " + e.what());
    }
}

constexpr char kConfigSchema[] = R"json({
"root": {"type": "string", "required": true, "description":
  "Folder of the tenants' log files, one <tenant>.log each (created 0700 if missing)"}
})json";

}  // namespace
}  // namespace sightline::target_thirdparty

static const sl_plugin_descriptor descriptor = SIGHTLINE_DESCRIPTOR(
    "target-thirdparty", "target", "0.1.0", "Apache-2.0",
    "Test target of an unknown dialect (memdb): one append-only log file per tenant",
    sightline::target_thirdparty::kConfigSchema, &sightline::target_thirdparty::create);

SIGHTLINE_PLUGIN(descriptor)
