// The profile's operations sections: reports (mutual TLS), operators, audit.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sightline/core/profile.hpp"

namespace fs = std::filesystem;
using namespace sightline::core;

namespace {

const char* base = R"(version: 1
archive: {plugin: archive-fs, config: {root: ./a}}
target: {plugin: target-sqlite}
tenants: [{id: acme}, {id: beta}]
)";

Profile load(const std::string& extra, std::vector<ProfileError>& errors) {
    static int n = 0;
    const fs::path p =
        fs::temp_directory_path() /
        ("sightline_ops_profile_" + std::to_string(getpid()) + "_" + std::to_string(n++) + ".yaml");
    std::ofstream(p) << base << extra;
    return load_profile(p.string(), errors);
}

bool has_error(const std::vector<ProfileError>& errors, const std::string& key,
               const std::string& part) {
    for (const auto& e : errors)
        if (e.key == key && e.message.find(part) != std::string::npos) return true;
    return false;
}

const std::string hash =
    "$scrypt$ln=14,r=8,p=1$7UEhh2VjBDmsmJcoxDs44A==$sgsN3MLlE4GhJ0YMNySRXW7u/Vj0lB5kg9abNmREJT4=";

}  // namespace

TEST(ProfileOperations, ReportsListenerWithTrustedHosts) {
    std::vector<ProfileError> errors;
    const Profile p = load(R"(reports:
  listen: ["127.0.0.1:9443"]
  tls: {cert: c.pem, key: k.pem}
  client_ca: ca.pem
  allow: [10.0.0.0/8]
  trusted_hosts:
    - {subject: "CN=bi.internal,O=Example", tenants: [acme]}
    - {subject: "CN=all", tenants: ["*"]}
)",
                           errors);
    ASSERT_TRUE(errors.empty()) << errors[0].to_string();
    ASSERT_TRUE(p.reports.has_value());
    EXPECT_EQ(p.reports->client_ca, "ca.pem");
    ASSERT_EQ(p.reports->trusted_hosts.size(), 2u);
    EXPECT_TRUE(p.reports->trusted_hosts[0].reaches("acme"));
    EXPECT_FALSE(p.reports->trusted_hosts[0].reaches("beta"));
    EXPECT_TRUE(p.reports->trusted_hosts[1].reaches("beta"));
    EXPECT_EQ(p.reports->allow, std::vector<std::string>{"10.0.0.0/8"});
    EXPECT_FALSE(p.api.has_value());
}

TEST(ProfileOperations, ReportsNeverWithoutTlsCaOrTrustedHosts) {
    std::vector<ProfileError> errors;
    load("reports: {listen: [\"127.0.0.1:9443\"], tls: off, tokens: []}\n", errors);
    EXPECT_TRUE(has_error(errors, "reports.tls", "always uses TLS"));
    EXPECT_TRUE(has_error(errors, "reports.client_ca", "required"));
    EXPECT_TRUE(has_error(errors, "reports.trusted_hosts", "required"));
    EXPECT_TRUE(has_error(errors, "reports.tokens", "unknown key"));
}

TEST(ProfileOperations, TrustedHostNamesOnlyKnownTenants) {
    std::vector<ProfileError> errors;
    load(R"(reports:
  tls: {cert: c.pem, key: k.pem}
  client_ca: ca.pem
  trusted_hosts: [{subject: "CN=x", tenants: [nobody]}, {subject: "no-dn", tenants: [acme]}]
)",
         errors);
    EXPECT_TRUE(has_error(errors, "reports.trusted_hosts[0].tenants[0]", "not defined"));
    EXPECT_TRUE(has_error(errors, "reports.trusted_hosts[1].subject", "no distinguished name"));
}

TEST(ProfileOperations, OperatorsNeedAHashNotAPassword) {
    std::vector<ProfileError> errors;
    const Profile p = load("operators:\n  - {name: ana, password: \"" + hash +
                               "\"}\n  - {name: bob, password: hunter2hunter2}\n"
                               "  - {name: cy}\n  - {name: ana, certificate_subject: \"CN=a\"}\n"
                               "  - {name: dee, certificate_subject: \"CN=dee\", disabled: true}\n",
                           errors);
    EXPECT_TRUE(has_error(errors, "operators[1].password", "never a password"));
    EXPECT_TRUE(has_error(errors, "operators[2]", "needs a password hash"));
    EXPECT_TRUE(has_error(errors, "operators[3].name", "defined twice"));
    ASSERT_NE(p.operator_account("dee"), nullptr);
    EXPECT_TRUE(p.operator_account("dee")->disabled);
    EXPECT_EQ(p.operator_account("ana")->password, hash);
    EXPECT_EQ(p.operator_account("nobody"), nullptr);
}

TEST(ProfileOperations, AuditDefaultsAndSettings) {
    std::vector<ProfileError> errors;
    Profile p = load("state_dir: /srv/state\n", errors);
    ASSERT_TRUE(errors.empty()) << errors[0].to_string();
    EXPECT_EQ(p.audit_file(), "/srv/state/audit/audit.jsonl");
    EXPECT_EQ(p.audit.max_bytes, 64LL << 20);
    errors.clear();
    p = load("audit: {file: /var/log/sl.jsonl, max_mb: 8, keep: 3, fsync_interval_ms: 0}\n",
             errors);
    ASSERT_TRUE(errors.empty()) << errors[0].to_string();
    EXPECT_EQ(p.audit_file(), "/var/log/sl.jsonl");
    EXPECT_EQ(p.audit.max_bytes, 8LL << 20);
    EXPECT_EQ(p.audit.keep, 3);
    EXPECT_EQ(p.audit.fsync_interval_ms, 0);
    errors.clear();
    load("audit: {keep: 0, rotate: daily}\n", errors);
    EXPECT_TRUE(has_error(errors, "audit.keep", "between"));
    EXPECT_TRUE(has_error(errors, "audit.rotate", "unknown key"));
}

TEST(ProfileOperations, EdgeProfileHasNoReportsListener) {
    std::vector<ProfileError> errors;
    const fs::path p =
        fs::temp_directory_path() / ("sightline_ops_edge_" + std::to_string(getpid()) + ".yaml");
    std::ofstream(p) << "version: 1\nrole: edge\ntransports: [{plugin: intake-dir}]\n"
                        "tenants: [{id: acme}]\nreports: {client_ca: x}\n";
    load_profile(p.string(), errors);
    EXPECT_TRUE(has_error(errors, "reports", "keeps no data"));
}
