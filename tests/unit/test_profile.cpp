// Profile loading and plugin-config validation: every error names file, line and key.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>

#include "sightline/core/config_schema.hpp"
#include "sightline/core/profile.hpp"

namespace fs = std::filesystem;
using namespace sightline::core;

namespace {

std::string write_profile(const std::string& text) {
    static int n = 0;
    fs::path p = fs::temp_directory_path() / ("sightline_profile_test_" + std::to_string(getpid()) +
                                              "_" + std::to_string(n++) + ".yaml");
    std::ofstream(p) << text;
    return p.string();
}

const char* minimal = R"(version: 1
archive:
  plugin: archive-fs
  config: {root: ./a}
target:
  plugin: target-sqlite
tenants:
  - id: acme
    delimiter: ";"
  - id: beta
    allow_pii: true
)";

}  // namespace

TEST(Profile, MinimalProfileLoads) {
    std::vector<ProfileError> errors;
    Profile p = load_profile(write_profile(minimal), errors);
    ASSERT_TRUE(errors.empty()) << errors[0].to_string();
    ASSERT_EQ(p.tenants.size(), 2u);
    EXPECT_EQ(p.tenants[0].delimiter, ';');
    EXPECT_FALSE(p.tenants[0].allow_pii);
    EXPECT_TRUE(p.tenants[1].allow_pii);
    EXPECT_EQ(p.tenants[1].active_days, 90);
    ASSERT_NE(p.section("archive"), nullptr);
    EXPECT_EQ(p.section("archive")->plugin, "archive-fs");
    EXPECT_EQ(p.section("target")->kind, "target");
}

TEST(Profile, UnknownKeyNamesLineAndAllowedKeys) {
    std::vector<ProfileError> errors;
    std::string text = minimal;
    text += "tenantz: []\n";
    load_profile(write_profile(text), errors);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].key, "tenantz");
    EXPECT_EQ(errors[0].line, 12);
    EXPECT_NE(errors[0].message.find("allowed keys: version, role, state_dir"), std::string::npos);
}

TEST(Profile, TenantIdThatEscapesIsRefused) {
    std::vector<ProfileError> errors;
    std::string text = minimal;
    text.replace(text.find("id: beta"), 8, "id: ../x");
    load_profile(write_profile(text), errors);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].key, "tenants[1].id");
    EXPECT_EQ(errors[0].line, 10);
    EXPECT_NE(errors[0].message.find("'../x' is not allowed"), std::string::npos);
    EXPECT_FALSE(valid_tenant_id("../x"));
    EXPECT_FALSE(valid_tenant_id("A"));
    EXPECT_FALSE(valid_tenant_id(""));
    EXPECT_TRUE(valid_tenant_id("shop-1_b"));
}

TEST(Profile, BadValuesAreReportedWithKeys) {
    std::vector<ProfileError> errors;
    load_profile(write_profile(R"(version: 1
archive: {plugin: archive-fs}
target: {config: {}}
tenants:
  - id: a
    delimiter: ":"
    allow_pii: maybe
  - id: a
)"),
                 errors);
    std::vector<std::string> keys;
    for (auto& e : errors) keys.push_back(e.key);
    EXPECT_EQ(keys, (std::vector<std::string>{"target.plugin", "tenants[0].delimiter",
                                              "tenants[0].allow_pii", "tenants[1].id"}));
}

TEST(Profile, NamedTargetSectionsForRestoresAndMigrations) {
    std::vector<ProfileError> errors;
    Profile p = load_profile(write_profile(std::string(minimal) + R"(targets:
  pg:
    plugin: target-postgres
    config: {admin_dsn: "host=db"}
  copy: {plugin: target-sqlite}
)"),
                             errors);
    ASSERT_TRUE(errors.empty()) << errors[0].to_string();
    ASSERT_NE(p.section("targets.pg"), nullptr);
    EXPECT_EQ(p.section("targets.pg")->plugin, "target-postgres");
    EXPECT_EQ(p.section("targets.pg")->kind, "target");
    ASSERT_NE(p.section("targets.copy"), nullptr);
    EXPECT_EQ(p.section("target")->plugin, "target-sqlite");

    errors.clear();
    load_profile(write_profile(std::string(minimal) + "targets:\n  Bad/Name: {plugin: x}\n"),
                 errors);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].key, "targets.Bad/Name");
    errors.clear();
    load_profile(write_profile(std::string(minimal) + "targets: [a]\n"), errors);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].key, "targets");
}

TEST(Profile, NotYamlGivesLine) {
    std::vector<ProfileError> errors;
    load_profile(write_profile("version: 1\ntenants: [a\n"), errors);
    ASSERT_FALSE(errors.empty());
    EXPECT_GT(errors[0].line, 0);
    EXPECT_NE(errors[0].message.find("not valid YAML"), std::string::npos);
}

// Found by the profile fuzz target: a section's subscript on a scalar threw out of load_profile.
TEST(Profile, SectionsThatAreNotMappingsAreErrors) {
    for (const std::string section : {"log: x\n", "plugins: x\n", "plugins: [a]\n"}) {
        std::vector<ProfileError> errors;
        ASSERT_NO_THROW(load_profile(write_profile(std::string(minimal) + section), errors));
        ASSERT_FALSE(errors.empty()) << section;
        EXPECT_NE(errors[0].message.find("expected a mapping"), std::string::npos) << section;
    }
}

TEST(Profile, AllowListRefusesOtherPlugins) {
    std::vector<ProfileError> errors;
    std::string text = minimal;
    text += "plugins:\n  allow: [archive-fs]\n";
    load_profile(write_profile(text), errors);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].key, "target.plugin");
    EXPECT_NE(errors[0].message.find("not in plugins.allow"), std::string::npos);
}

TEST(ConfigSchema, TypesDefaultsUnknownAndRequired) {
    auto schema = nlohmann::json::parse(R"({
      "root": {"type": "string", "required": true},
      "level": {"type": "integer", "default": 3, "minimum": 1, "maximum": 19},
      "fsync": {"type": "boolean", "default": true},
      "mode": {"type": "string", "default": "zstd", "enum": ["none", "zstd"]}
    })");
    std::vector<ProfileError> errors;
    YAML::Node node = YAML::Load("level: 7\nfsync: no\n");
    auto config = validate_config(node, schema, "p.yaml", "archive.config", errors);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].key, "archive.config.root");
    EXPECT_EQ(errors[0].message, "required key is missing");
    EXPECT_EQ(config["level"], 7);
    EXPECT_EQ(config["fsync"], false);
    EXPECT_EQ(config["mode"], "zstd");

    errors.clear();
    node = YAML::Load("root: x\nlevel: 40\nmode: gzip\nfsinc: true\n");
    validate_config(node, schema, "p.yaml", "archive.config", errors);
    ASSERT_EQ(errors.size(), 3u);
    EXPECT_EQ(errors[0].key, "archive.config.level");
    EXPECT_EQ(errors[0].line, 2);
    EXPECT_EQ(errors[1].key, "archive.config.mode");
    EXPECT_EQ(errors[2].key, "archive.config.fsinc");
    EXPECT_NE(errors[2].message.find("allowed keys: fsync, level, mode, root"), std::string::npos);
}

TEST(ConfigSchema, EnvironmentSubstitution) {
    setenv("SIGHTLINE_TEST_SECRET", "s3cr3t", 1);
    unsetenv("SIGHTLINE_TEST_MISSING");
    std::string out, error;
    EXPECT_TRUE(substitute_env("dsn=${SIGHTLINE_TEST_SECRET};x", out, error));
    EXPECT_EQ(out, "dsn=s3cr3t;x");
    EXPECT_TRUE(substitute_env("$${literal}", out, error));
    EXPECT_EQ(out, "${literal}");
    EXPECT_FALSE(substitute_env("${SIGHTLINE_TEST_MISSING}", out, error));
    EXPECT_EQ(error, "environment variable 'SIGHTLINE_TEST_MISSING' is not set");
    auto schema = nlohmann::json::parse(R"({"dsn": {"type": "string", "secret": true}})");
    EXPECT_EQ(secret_keys(schema), std::vector<std::string>{"dsn"});
}

TEST(ConfigSchema, SecretValuesNeverAppearInErrors) {
    auto schema = nlohmann::json::parse(R"({
      "port": {"type": "integer", "secret": true},
      "mode": {"type": "string", "secret": true, "enum": ["a", "b"]},
      "plain": {"type": "integer"}
    })");
    setenv("SIGHTLINE_TEST_SECRET", "hunter2", 1);
    std::vector<ProfileError> errors;
    YAML::Node node =
        YAML::Load("port: ${SIGHTLINE_TEST_SECRET}\nmode: ${SIGHTLINE_TEST_SECRET}\nplain: x1\n");
    validate_config(node, schema, "p.yaml", "target.config", errors);
    ASSERT_EQ(errors.size(), 3u);
    for (const auto& e : errors)
        EXPECT_EQ(e.to_string().find("hunter2"), std::string::npos) << e.to_string();
    EXPECT_EQ(errors[0].message, "expected an integer, found (secret value)");
    EXPECT_NE(errors[2].message.find("'x1'"), std::string::npos) << "plain values are still shown";
}

// Found by the profile fuzz target: a config value that is not UTF-8 (in the file or from the
// environment) made writing the config as JSON throw, at start and at a SIGHUP reload.
TEST(ConfigSchema, ValuesThatAreNotUtf8AreErrors) {
    auto schema =
        nlohmann::json::parse(R"({"root": {"type": "string"}, "list": {"type": "array"}})");
    setenv("SIGHTLINE_TEST_LATIN1", "caf\xe9", 1);
    std::vector<ProfileError> errors;
    YAML::Node node = YAML::Load("root: \"/a\xff\"\nlist:\n  - ok\n  - ${SIGHTLINE_TEST_LATIN1}\n");
    const auto config = validate_config(node, schema, "p.yaml", "archive.config", errors);
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[0].key, "archive.config.root");
    EXPECT_EQ(errors[0].message, "not valid UTF-8 text");
    EXPECT_EQ(errors[1].key, "archive.config.list[1]");
    EXPECT_NO_THROW(config.dump());
}

TEST(ConfigSchema, MalformedSchemasAreDetected) {
    EXPECT_EQ(check_schema(nlohmann::json::parse(R"({"a": {"type": "string"}})")), "");
    EXPECT_NE(check_schema(nlohmann::json::parse(R"([1])")), "");
    EXPECT_NE(check_schema(nlohmann::json::parse(R"({"a": {"type": "text"}})")), "");
    EXPECT_NE(check_schema(nlohmann::json::parse(R"({"a": {"type": "string", "colour": 1}})")), "");
}

TEST(ConfigSchema, NestedObjectsAreTypedLikeConfigs) {
    auto schema = nlohmann::json::parse(R"({
      "accounts": {"type": "array", "items": {"type": "object", "properties": {
        "user": {"type": "string", "required": true},
        "await": {"type": "boolean", "default": false}}}},
      "limits": {"type": "object", "default": {}, "properties": {
        "max": {"type": "integer", "default": 8, "maximum": 100}}},
      "extra": {"type": "object"}
    })");
    ASSERT_EQ(check_schema(schema), "");
    std::vector<ProfileError> errors;
    YAML::Node node = YAML::Load(
        "accounts:\n  - {user: a, await: yes}\n  - {user: b}\nlimits: {max: 9}\n"
        "extra: {k: v}\n");
    auto config = validate_config(node, schema, "p.yaml", "transports[0].config", errors);
    ASSERT_TRUE(errors.empty()) << errors[0].to_string();
    EXPECT_EQ(config["accounts"][0]["await"], true);
    EXPECT_EQ(config["accounts"][1]["await"], false);
    EXPECT_EQ(config["limits"]["max"], 9);
    EXPECT_EQ(config["extra"]["k"], "v");

    node = YAML::Load("accounts:\n  - {await: maybe}\n  - b\nlimits: {max: 900, min: 1}\n");
    validate_config(node, schema, "p.yaml", "transports[0].config", errors);
    ASSERT_EQ(errors.size(), 5u);
    EXPECT_EQ(errors[0].key, "transports[0].config.accounts[0].await");
    EXPECT_EQ(errors[1].key, "transports[0].config.accounts[0].user");
    EXPECT_EQ(errors[2].key, "transports[0].config.accounts[1]");
    EXPECT_EQ(errors[2].message, "expected a mapping");
    EXPECT_EQ(errors[3].key, "transports[0].config.limits.max");
    EXPECT_EQ(errors[4].key, "transports[0].config.limits.min");

    EXPECT_NE(check_schema(nlohmann::json::parse(
                  R"({"a": {"type": "object", "properties": {"b": {"type": "txt"}}}})")),
              "");
    EXPECT_NE(check_schema(nlohmann::json::parse(R"({"a": {"type": "string", "properties": {}}})")),
              "");
}

TEST(Profile, EdgeRoleKeepsNoDataSections) {
    std::vector<ProfileError> errors;
    Profile p = load_profile(write_profile("version: 1\nrole: edge\ntransports:\n"
                                           "  - plugin: intake-ftps\n  - plugin: relay-ftps\n"
                                           "tenants:\n  - id: acme\n"),
                             errors);
    ASSERT_TRUE(errors.empty()) << errors[0].to_string();
    EXPECT_TRUE(p.edge);
    EXPECT_EQ(p.section("archive"), nullptr);

    errors.clear();
    std::string text = minimal;
    text.insert(text.find('\n') + 1, "role: edge\n");
    load_profile(write_profile(text), errors);
    ASSERT_EQ(errors.size(), 3u);  // archive, target, and no transports
    EXPECT_EQ(errors[0].key, "archive");
    EXPECT_NE(errors[0].message.find("edge profile keeps no data"), std::string::npos);

    errors.clear();
    text = minimal;
    text.insert(text.find('\n') + 1, "role: gateway\n");
    load_profile(write_profile(text), errors);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].key, "role");
    EXPECT_FALSE(load_profile(write_profile(minimal), errors).edge);
}
