// The live suite of this executable runs against Greenplum (SIGHTLINE_GREENPLUM_DSN, an admin
// DSN); without it every live test is skipped with a message.
#include "greenplum_config.hpp"
#include "live_support.hpp"

namespace sightline::target_pg::testing {

const LiveBackend& live_backend() {
    static const LiveBackend backend{"Greenplum", "SIGHTLINE_GREENPLUM_DSN",
                                     [](const nlohmann::json& config, sp::HostServices* host) {
                                         return std::make_unique<PgTarget>(
                                             std::make_shared<target_greenplum::GreenplumDialect>(
                                                 target_greenplum::parse_options(config)),
                                             parse_config(config), host);
                                     }};
    return backend;
}

}  // namespace sightline::target_pg::testing
