// A target section as the host's code sees it: the plugin's Target, with every open(), drop() and
// open_beside() going through the process's StorePool (its budget of target connections), so no
// caller can open a store around it. The Runtime hands out only these.
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
    // API 1.6: build beside, then swap. Never called on an older plugin (supports_swap() is
    // false for it). The swap and the discard use one connection of the budget, as drop() does;
    // the tenant's idle stores are closed after a swap so that none is handed out with state of
    // the old data (the plugin's stores must cope anyway: other processes keep theirs).
    bool supports_swap() const override { return api_minor_ >= 6 && inner_.supports_swap(); }
    std::unique_ptr<plugin::TenantStore> open_beside(const std::string& tenant) override {
        require_swap();
        return pool_.open_beside(inner_, tenant, api_minor_);
    }
    void swap_beside(const std::string& tenant) override {
        require_swap();
        pool_.with_connection([&] { inner_.swap_beside(tenant); });
        pool_.close_idle(inner_, tenant);
    }
    void discard_beside(const std::string& tenant) override {
        if (!supports_swap()) return;
        pool_.with_connection([&] { inner_.discard_beside(tenant); });
    }
    // The harness hands this object out as the target: a test reconfigures the plugin through it.
    // false (restart needed) when the plugin cannot reconfigure.
    bool reconfigure(const std::string& config_json) override {
        auto* inner = dynamic_cast<plugin::Reconfigurable*>(&inner_);
        return inner != nullptr && inner->reconfigure(config_json);
    }

private:
    void require_swap() const {
        if (!supports_swap())
            throw plugin::Error(
                "this target plugin cannot build a tenant's data beside it "
                "(plugin API 1.6)");
    }

    plugin::Target& inner_;
    StorePool& pool_;
    uint32_t api_minor_;
};

}  // namespace sightline::core
