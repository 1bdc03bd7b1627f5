// The profile's operations sections: the reports listener's trusted hosts, the operators and the
// audit log (docs/operations.md).
#include <filesystem>
#include <regex>
#include <set>

#include "profile_checker.hpp"

namespace sightline::core {

bool TrustedHost::reaches(const std::string& tenant) const {
    for (const auto& t : tenants)
        if (t == "*" || t == tenant) return true;
    return false;
}

const OperatorAccount* Profile::operator_account(const std::string& name) const {
    for (const auto& o : operators)
        if (o.name == name) return &o;
    return nullptr;
}

std::string Profile::audit_file() const {
    if (!audit.file.empty()) return audit.file;
    return (std::filesystem::path(state_dir) / "audit" / "audit.jsonl").string();
}

namespace detail {

namespace {

// Tenant ids (or "*" alone) that a list entry names; each must be defined under tenants:.
void tenant_list(Checker& c, const YAML::Node& node, const std::string& key, const Profile& p,
                 std::vector<std::string>& out) {
    if (!node.IsDefined()) {
        c.fail(node, key, "required key is missing (tenant ids, or [\"*\"] for all)");
        return;
    }
    c.string_list(node, key, out);
    if (node.IsSequence() && out.empty())
        c.fail(node, key, "needs at least one tenant id (or \"*\")");
    for (size_t j = 0; j < out.size(); ++j) {
        if (out[j] == "*") {
            if (out.size() != 1)
                c.fail(node[j], key, "\"*\" (every tenant) cannot be combined with tenant ids");
        } else if (!p.tenant(out[j])) {
            c.fail(node[j], key + "[" + std::to_string(j) + "]",
                   "tenant '" + out[j] + "' is not defined under tenants:");
        }
    }
}

}  // namespace

void read_trusted_hosts(Checker& c, const YAML::Node& listener, const Profile& p,
                        ApiSettings& out) {
    if (!c.scalar(listener["client_ca"], "reports.client_ca", out.client_ca) ||
        out.client_ca.empty())
        c.fail(listener, "reports.client_ca",
               "required key is missing (PEM file of the CA that issues trusted hosts' client "
               "certificates)");
    const YAML::Node hosts = listener["trusted_hosts"];
    if (!hosts.IsDefined() || !hosts.IsSequence() || hosts.size() == 0) {
        c.fail(hosts.IsDefined() ? hosts : listener, "reports.trusted_hosts",
               "required: a list of {subject, tenants} (nobody can read reports without one)");
        return;
    }
    std::set<std::string> seen;
    for (size_t i = 0; i < hosts.size(); ++i) {
        const YAML::Node h = hosts[i];
        const std::string key = "reports.trusted_hosts[" + std::to_string(i) + "]";
        if (!h.IsMap()) {
            c.fail(h, key, "expected a mapping {subject, tenants}");
            continue;
        }
        c.only_keys(h, key, {"subject", "tenants"});
        TrustedHost host;
        host.line = h.Mark().line + 1;
        if (!c.scalar(h["subject"], key + ".subject", host.subject) || host.subject.empty())
            c.fail(h, key + ".subject",
                   "required key is missing (the client certificate's subject in RFC 2253 form, "
                   "e.g. \"CN=bi.internal,O=Example\")");
        else if (host.subject.find('=') == std::string::npos)
            c.fail(h["subject"], key + ".subject",
                   "'" + host.subject + "' is no distinguished name (e.g. \"CN=bi.internal\")");
        else if (!seen.insert(host.subject).second)
            c.fail(h["subject"], key + ".subject", "subject listed twice");
        tenant_list(c, h["tenants"], key + ".tenants", p, host.tenants);
        out.trusted_hosts.push_back(host);
    }
}

void read_operators(Checker& c, const YAML::Node& node, Profile& p) {
    if (!node.IsDefined() || node.IsNull()) return;
    if (!node.IsSequence()) {
        c.fail(node, "operators", "expected a list of {name, password, certificate_subject}");
        return;
    }
    static const std::regex name_pattern("[a-z0-9][a-z0-9._-]{0,63}");
    std::set<std::string> names, subjects;
    for (size_t i = 0; i < node.size(); ++i) {
        const YAML::Node o = node[i];
        const std::string key = "operators[" + std::to_string(i) + "]";
        if (!o.IsMap()) {
            c.fail(o, key, "expected a mapping {name, password, certificate_subject, disabled}");
            continue;
        }
        c.only_keys(o, key, {"name", "password", "certificate_subject", "disabled"});
        OperatorAccount op;
        op.line = o.Mark().line + 1;
        if (!c.scalar(o["name"], key + ".name", op.name))
            c.fail(o, key + ".name", "required key is missing");
        else if (!std::regex_match(op.name, name_pattern))
            c.fail(o["name"], key + ".name",
                   "operator name '" + op.name + "' is not allowed: use [a-z0-9][a-z0-9._-]{0,63}");
        else if (!names.insert(op.name).second)
            c.fail(o["name"], key + ".name", "operator '" + op.name + "' is defined twice");
        if (c.scalar(o["password"], key + ".password", op.password) &&
            op.password.rfind("$scrypt$", 0) != 0)
            c.fail(o["password"], key + ".password",
                   "expected a scrypt hash (\"$scrypt$...\"), never a password: make one with "
                   "sightline operator passwd --name " +
                       op.name);
        if (c.scalar(o["certificate_subject"], key + ".certificate_subject",
                     op.certificate_subject) &&
            !subjects.insert(op.certificate_subject).second)
            c.fail(o["certificate_subject"], key + ".certificate_subject",
                   "the same subject belongs to two operators");
        if (op.password.empty() && op.certificate_subject.empty())
            c.fail(o, key, "needs a password hash or a certificate_subject to log in with");
        c.boolean(o["disabled"], key + ".disabled", op.disabled);
        p.operators.push_back(op);
    }
}

void read_audit(Checker& c, const YAML::Node& node, Profile& p) {
    if (!node.IsDefined() || node.IsNull()) return;
    if (!node.IsMap()) {
        c.fail(node, "audit", "expected a mapping (file, max_mb, keep, fsync_interval_ms)");
        return;
    }
    c.only_keys(node, "audit", {"file", "max_mb", "keep", "fsync_interval_ms"});
    c.scalar(node["file"], "audit.file", p.audit.file);
    int max_mb = static_cast<int>(p.audit.max_bytes >> 20);
    c.integer(node["max_mb"], "audit.max_mb", max_mb, 1, 1 << 20);
    p.audit.max_bytes = static_cast<int64_t>(max_mb) << 20;
    c.integer(node["keep"], "audit.keep", p.audit.keep, 1, 10000);
    c.integer(node["fsync_interval_ms"], "audit.fsync_interval_ms", p.audit.fsync_interval_ms, 0,
              60'000);
}

}  // namespace detail

}  // namespace sightline::core
