// The live suite of this executable runs against PostgreSQL (SIGHTLINE_POSTGRES_DSN).
#include "config.hpp"
#include "dialect.hpp"
#include "live_support.hpp"

namespace sightline::target_pg::testing {

const LiveBackend& live_backend() {
    static const LiveBackend backend{
        "PostgreSQL", "SIGHTLINE_POSTGRES_DSN",
        [](const nlohmann::json& config, sp::HostServices* host) {
            return std::make_unique<PgTarget>(
                std::shared_ptr<const Dialect>(std::shared_ptr<void>(), &postgres_dialect()),
                parse_config(config), host);
        }};
    return backend;
}

}  // namespace sightline::target_pg::testing
