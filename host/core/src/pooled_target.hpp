// A target section as the host's code sees it: the plugin's Target, with every open() and drop()
// going through the process's StorePool (its budget of target connections), so no caller can
// open a store around it. The Runtime hands out only these.
#pragma once

#include <cstdint>
#include <string>

#include "sightline/core/store_pool.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::core {

class PooledTarget final : public plugin::Target, public plugin::Reconfigurable {
public:
    // api_minor: the plugin's; methods added after it are never called on it.
    PooledTarget(plugin::Target& inner, StorePool& pool, uint32_t api_minor)
        : inner_(inner), pool_(pool), api_minor_(api_minor) {}

    std::string dialect() const override { return inner_.dialect(); }
    std::unique_ptr<plugin::TenantStore> open(const std::string& tenant) override {
        return pool_.open(inner_, tenant, api_minor_);
    }
    // No store of the tenant may be open: the idle ones are closed first. The drop's own admin
    // connection counts against the budget.
    void drop(const std::string& tenant) override {
        pool_.close_idle(inner_, tenant);
        pool_.with_connection([&] { inner_.drop(tenant); });
    }
    std::string storage_name(const std::string& tenant) const override {
        return api_minor_ >= 4 ? inner_.storage_name(tenant) : std::string();
    }
    // The harness hands this object out as the target: a test reconfigures the plugin through it.
    // false (restart needed) when the plugin cannot reconfigure.
    bool reconfigure(const std::string& config_json) override {
        auto* inner = dynamic_cast<plugin::Reconfigurable*>(&inner_);
        return inner != nullptr && inner->reconfigure(config_json);
    }

private:
    plugin::Target& inner_;
    StorePool& pool_;
    uint32_t api_minor_;
};

}  // namespace sightline::core
