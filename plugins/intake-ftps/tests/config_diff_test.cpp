// What a reload compares (config_diff.hpp), and the Reconfigurable interface as the host reaches
// it: across the module boundary with dynamic_cast, before start().
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "config.hpp"
#include "config_diff.hpp"
#include "sightline/ftps/password.hpp"
#include "sightline/plugin/api.hpp"
#include "sightline/testing/plugin_testing.hpp"

namespace sightline::intake_ftps {
namespace {

Account make(const std::string& user, const std::string& tenant, const std::string& hash) {
    Account a;
    a.user = user;
    a.tenant = tenant;
    a.password_hash = hash;
    return a;
}

TEST(ConfigDiff, RestartOnlyKeys) {
    Config running;
    Config next = running;
    next.accounts.push_back(make("x", "acme", "h"));
    next.retention_hours = 2;
    next.certificate = "/elsewhere.pem";
    EXPECT_TRUE(restart_only_changes(running, next).empty());
    next.listen_port = 2122;
    next.passive_last = 50101;
    next.landing = "/other";
    EXPECT_EQ(restart_only_changes(running, next),
              (std::vector<std::string>{"listen", "passive_ports", "landing"}));
}

TEST(ConfigDiff, Accounts) {
    const auto changes =
        diff_accounts({make("a", "acme", "h1"), make("b", "acme", "h2"), make("c", "acme", "h3")},
                      {make("a", "acme", "h1"), make("b", "acme", "h9"), make("d", "acme", "h4")});
    EXPECT_EQ(changes.added, std::vector<std::string>{"d"});
    EXPECT_EQ(changes.removed, std::vector<std::string>{"c"});
    EXPECT_EQ(changes.changed, std::vector<std::string>{"b"});
}

TEST(Reconfigurable, ReachedThroughTheModuleBeforeStart) {
    sightline::testing::TempDir dir;
    sightline::testing::FakeHost host;
    nlohmann::json config{
        {"listen", "127.0.0.1:0"},
        {"certificate", dir.path() + "/cert.pem"},
        {"private_key", dir.path() + "/key.pem"},
        {"landing", dir.path() + "/landing"},
        {"accounts",
         {{{"user", "alice"},
           {"tenant", "acme"},
           {"password", ftps::hash_password("pw", ftps::ScryptCost{10, 8, 1})}}}}};
    const auto& descriptor = sightline::testing::load_plugin_module(SIGHTLINE_INTAKE_FTPS_PLUGIN);
    EXPECT_EQ(descriptor.api_minor, static_cast<uint32_t>(SIGHTLINE_PLUGIN_API_MINOR));
    plugin::CreateContext context;
    context.host = &host;
    context.config_json = config.dump();
    context.instance_name = "intake[0]";
    std::unique_ptr<plugin::Plugin> created = descriptor.create(context);
    auto* reconfigurable = dynamic_cast<plugin::Reconfigurable*>(created.get());
    ASSERT_NE(reconfigurable, nullptr);
    config["retention_hours"] = 3;
    EXPECT_TRUE(reconfigurable->reconfigure(config.dump()));
    config["retention_hours"] = 4;
    EXPECT_TRUE(sightline::testing::reconfigure(*created, config.dump()));
    config["listen"] = "127.0.0.1:2";
    EXPECT_FALSE(reconfigurable->reconfigure(config.dump()));
    EXPECT_THROW(reconfigurable->reconfigure("{"), plugin::Error);
}

}  // namespace
}  // namespace sightline::intake_ftps
