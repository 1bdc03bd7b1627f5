// The descriptor and the configuration, through the built module as the host loads it.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "config.hpp"
#include "sightline/ftps/password.hpp"
#include "sightline/plugin/transport.hpp"
#include "sightline/testing/plugin_testing.hpp"

namespace sightline::intake_ftps {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const sl_plugin_descriptor& descriptor() {
    return sightline::testing::load_plugin_module(SIGHTLINE_INTAKE_FTPS_PLUGIN);
}

const std::string& a_hash() {
    static const std::string hash = ftps::hash_password("pw", ftps::ScryptCost{10, 8, 1});
    return hash;
}

nlohmann::json minimal() {
    return {{"certificate", "/tmp/c.pem"},
            {"private_key", "/tmp/k.pem"},
            {"landing", "/tmp/landing"},
            {"accounts", {{{"user", "u"}, {"tenant", "acme"}, {"password", a_hash()}}}}};
}

std::string error_of(const nlohmann::json& config) {
    try {
        parse_config(config.dump());
    } catch (const plugin::Error& e) {
        return e.what();
    }
    return "";
}

TEST(Descriptor, DescribesATransport) {
    const auto& d = descriptor();
    EXPECT_EQ(d.api_major, SIGHTLINE_PLUGIN_API_MAJOR);
    EXPECT_STREQ(d.id, "intake-ftps");
    EXPECT_STREQ(d.kind, "transport");
    EXPECT_STREQ(d.abi_tag, SIGHTLINE_ABI_TAG);
    const auto schema = nlohmann::json::parse(d.config_schema);
    EXPECT_EQ(schema["listen"]["default"], "127.0.0.1:2121");
    EXPECT_EQ(schema["retention_hours"]["maximum"], 24);
    EXPECT_EQ(schema["accounts"]["required"], true);
}

TEST(Descriptor, CreatesATransportThroughTheModule) {
    sightline::testing::FakeHost host;
    plugin::CreateContext context;
    context.host = &host;
    context.config_json = minimal().dump();
    auto created = descriptor().create(context);
    EXPECT_NE(dynamic_cast<plugin::Transport*>(created.get()), nullptr);
    context.config_json = R"({"landing": "/tmp/x"})";
    EXPECT_THROW(descriptor().create(context), std::exception);
}

class NullSink : public plugin::UploadSink {
public:
    plugin::UploadResult submit(const plugin::Upload&) override { return {}; }
};

TEST(Lifecycle, StartServesStopIsPromptWithAClientConnected) {
    sightline::testing::TempDir dir;
    sightline::testing::FakeHost host;
    auto j = minimal();
    j["listen"] = "127.0.0.1:0";
    j["self_signed"] = true;
    j["certificate"] = dir.path() + "/cert.pem";
    j["private_key"] = dir.path() + "/key.pem";
    j["landing"] = dir.path() + "/landing";
    plugin::CreateContext context;
    context.host = &host;
    context.config_json = j.dump();
    auto created = descriptor().create(context);
    auto& transport = dynamic_cast<plugin::Transport&>(*created);
    NullSink sink;
    transport.start(sink);
    EXPECT_THROW(transport.start(sink), plugin::Error);
    ASSERT_EQ(host.logs("intake_ftps.started").size(), 1u);
    EXPECT_EQ(host.logs("intake_ftps.self_signed").size(), 1u);
    const std::string listen = host.logs("intake_ftps.started")[0].fields["listen"];
    const int port = std::stoi(listen.substr(listen.rfind(':') + 1));

    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    char greeting[4] = {0};
    ASSERT_EQ(::recv(fd, greeting, 3, MSG_WAITALL), 3);
    EXPECT_STREQ(greeting, "220");

    const auto before = std::chrono::steady_clock::now();
    transport.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(3));
    transport.stop();
    ::close(fd);
    EXPECT_EQ(host.logs("intake_ftps.stopped").size(), 1u);
    EXPECT_TRUE(std::filesystem::is_directory(dir.path() + "/landing/acme/.partial"));
}

TEST(Config, DefaultsApplied) {
    const Config c = parse_config(minimal().dump());
    EXPECT_EQ(c.listen_host, "127.0.0.1");
    EXPECT_EQ(c.listen_port, 2121);
    EXPECT_EQ(c.passive_first, 50000);
    EXPECT_EQ(c.passive_last, 50100);
    EXPECT_EQ(c.advertised_address, "127.0.0.1");
    EXPECT_EQ(c.retention_hours, 24);
    EXPECT_EQ(c.quota_max_bytes, int64_t{10} << 30);
    EXPECT_EQ(c.quota_max_files, 1000);
    EXPECT_EQ(c.max_file_bytes, int64_t{5} << 30);
    EXPECT_EQ(c.limits.ban_failures, 5);
    EXPECT_EQ(c.limits.max_per_address, 8);
    EXPECT_EQ(c.limits.max_sessions_per_account, 4);
    EXPECT_FALSE(c.accounts[0].await_result);
}

TEST(Config, Ipv6ListenAndStringValuesFromTheHost) {
    auto j = minimal();
    j["listen"] = "[::1]:990";
    j["limits"] = {{"ban_failures", "7"}};  // free-form objects arrive as strings
    j["quota"] = {{"max_files", "3"}};
    const Config c = parse_config(j.dump());
    EXPECT_EQ(c.listen_host, "::1");
    EXPECT_EQ(c.listen_port, 990);
    EXPECT_EQ(c.limits.ban_failures, 7);
    EXPECT_EQ(c.quota_max_files, 3);
}

TEST(Config, RelayAccountAwaitsResults) {
    auto j = minimal();
    j["accounts"] = {
        {{"user", "relay"}, {"tenant", "*"}, {"password", a_hash()}, {"await_result", true}},
        {{"user", "u2"}, {"tenant", "globex"}, {"password", a_hash()}}};
    const Config c = parse_config(j.dump());
    ASSERT_EQ(c.accounts.size(), 2u);
    EXPECT_TRUE(c.accounts[0].relay());
    EXPECT_TRUE(c.accounts[0].await_result);
    EXPECT_FALSE(c.accounts[1].await_result);
    EXPECT_EQ(c.accounts[1].tenant, "globex");
}

TEST(Config, Refusals) {
    auto j = minimal();
    j["retention_hours"] = 25;
    EXPECT_THAT(error_of(j), HasSubstr("retention_hours"));
    j = minimal();
    j["accounts"][0]["password"] = "$scrypt$garbage-secret";
    const std::string bad_hash = error_of(j);
    EXPECT_THAT(bad_hash, HasSubstr("account 'u'"));
    EXPECT_THAT(bad_hash, Not(HasSubstr("garbage-secret")));
    j = minimal();
    j["accounts"].push_back(j["accounts"][0]);
    EXPECT_THAT(error_of(j), HasSubstr("defined twice"));
    j = minimal();
    j["passive_ports"] = "60000-50000";
    EXPECT_THAT(error_of(j), HasSubstr("passive_ports"));
    j = minimal();
    j["listen"] = "::1:21";
    EXPECT_THAT(error_of(j), HasSubstr("listen"));
    j = minimal();
    j["limits"] = {{"no_such_limit", 1}};
    EXPECT_THAT(error_of(j), HasSubstr("no_such_limit"));
    for (int bad : {0, 10001}) {
        j = minimal();
        j["limits"] = {{"max_sessions_per_account", bad}};
        EXPECT_THAT(error_of(j), HasSubstr("max_sessions_per_account"));
    }
    j = minimal();
    j["limits"] = {{"max_sessions_per_account", 2}};
    EXPECT_EQ(parse_config(j.dump()).limits.max_sessions_per_account, 2);
    j = minimal();
    j["bogus"] = 1;
    EXPECT_THAT(error_of(j), HasSubstr("unknown key 'bogus'"));
}

}  // namespace
}  // namespace sightline::intake_ftps
