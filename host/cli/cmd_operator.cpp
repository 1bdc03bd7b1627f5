// sightline operator passwd --name NAME [--generate] [--json]
// sightline operator disable NAME --reason TEXT --profile P
// sightline operator enable NAME --reason TEXT --profile P
// sightline operator list --profile P [--json]
// Operators are the people who use the console; the profile lists them with password hashes
// (docs/operations.md). Disabling writes to the state folder, which the console reads on every
// request: the operator's sessions end at once, without a reload.
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>

#include "cli.hpp"
#include "operator_name.hpp"
#include "password_input.hpp"
#include "runtime_open.hpp"
#include "sightline/core/operators.hpp"
#include "sightline/core/profile.hpp"
#include "sightline/ftps/password.hpp"

namespace sightline::cli {

namespace {

core::Profile read_profile(const std::string& path) {
    std::vector<core::ProfileError> errors;
    core::Profile profile = core::load_profile(path, errors);
    if (!errors.empty()) {
        for (const auto& e : errors)
            std::cerr << e.file << ":" << e.line << ":" << e.column << ": " << e.key << ": "
                      << e.message << "\n";
        throw UsageError("the profile has errors (sightline profile check shows them)");
    }
    return profile;
}

core::OperatorRegistry registry_of(const core::Profile& profile) {
    return core::OperatorRegistry(profile.state_dir, profile.operators,
                                  [](const std::string& password, const std::string& hash) {
                                      return ftps::verify_password(password, hash);
                                  });
}

// Records the change in the event stream (and so in the audit log). The change itself is already
// made: a deployment whose plugins cannot start must still be able to lock someone out.
void log_change(const po::variables_map& vm, const char* event, const std::string& name) {
    try {
        core::Runtime runtime(vm["profile"].as<std::string>(), vm["plugin-path"].as<std::string>());
        runtime.log().event(plugin::LogLevel::warn, event,
                            {{"name", name},
                             {"operator", operator_name()},
                             {"reason", vm["reason"].as<std::string>()}});
        runtime.log().flush();
    } catch (const std::exception& e) {
        std::cerr << "sightline: the change is made, but it could not be logged: " << e.what()
                  << "\n";
    }
}

int change_state(const std::vector<std::string>& args, bool disable) {
    po::options_description options("Options");
    add_profile_options(options);
    options.add_options()("name", po::value<std::string>()->required(), "the operator")(
        "reason", po::value<std::string>()->required(), "why (kept in the audit log)");
    po::positional_options_description positional;
    positional.add("name", 1);
    po::variables_map vm;
    const std::string verb = disable ? "disable" : "enable";
    if (!parse(args, "sightline operator " + verb + " NAME --reason TEXT --profile P", options,
               positional, vm))
        return ok;
    const core::Profile profile = read_profile(vm["profile"].as<std::string>());
    const std::string name = vm["name"].as<std::string>();
    if (!profile.operator_account(name)) {
        std::cerr << "sightline: no operator '" << name << "' in " << profile.file << "\n";
        return refused;
    }
    auto registry = registry_of(profile);
    if (disable)
        registry.disable(name, operator_name(), vm["reason"].as<std::string>());
    else
        registry.enable(name);
    log_change(vm, disable ? "operator.disabled" : "operator.enabled", name);
    std::cout << "operator " << name << (disable ? " disabled" : " enabled");
    if (!disable && profile.operator_account(name)->disabled)
        std::cout << " here, but the profile still says disabled: true";
    std::cout << "\n";
    return ok;
}

}  // namespace

int run_operator_passwd(const std::vector<std::string>& args) {
    po::options_description options("Options");
    options.add_options()("name", po::value<std::string>()->required(), "the operator's name")(
        "generate", "generate a strong password and print it once, instead of reading stdin");
    add_json_option(options);
    po::variables_map vm;
    if (!parse(args,
               "sightline operator passwd --name NAME [--generate] [--json]\n"
               "Reads the password from standard input unless --generate.",
               options, {}, vm))
        return ok;
    const std::string name = vm["name"].as<std::string>();
    static const std::regex name_pattern("[a-z0-9][a-z0-9._-]{0,63}");
    if (!std::regex_match(name, name_pattern))
        throw UsageError("--name must match [a-z0-9][a-z0-9._-]{0,63}");
    const bool generated = vm.count("generate") > 0;
    const std::string password = generated ? generate_password() : read_password("Password: ");
    if (!generated && password.size() < 12) {
        std::cerr << "sightline: the password must have at least 12 characters\n";
        return refused;
    }
    const std::string hash = ftps::hash_password(password);
    if (vm.count("json")) {
        nlohmann::json out = {{"name", name}, {"password_hash", hash}};
        if (generated) out["password"] = password;
        std::cout << out.dump(2) << "\n";
        return ok;
    }
    if (generated) {
        std::cout << password << "\n";
        std::cerr << "\nThe line above is the password, shown only this once.\n";
    }
    std::cerr << "The profile keeps only its hash; add this entry under operators:\n\n";
    std::cout << "  - name: " << name << "\n"
              << "    password: \"" << hash << "\"\n";
    return ok;
}

int run_operator_disable(const std::vector<std::string>& args) { return change_state(args, true); }
int run_operator_enable(const std::vector<std::string>& args) { return change_state(args, false); }

int run_operator_list(const std::vector<std::string>& args) {
    po::options_description options("Options");
    add_profile_options(options);
    add_json_option(options);
    po::variables_map vm;
    if (!parse(args, "sightline operator list --profile P [--json]", options, {}, vm)) return ok;
    const core::Profile profile = read_profile(vm["profile"].as<std::string>());
    const auto registry = registry_of(profile);
    nlohmann::json out = nlohmann::json::array();
    for (const auto& o : profile.operators) {
        out.push_back({{"name", o.name},
                       {"password", !o.password.empty()},
                       {"certificate_subject", o.certificate_subject},
                       {"active", registry.active(o.name)}});
    }
    if (vm.count("json")) {
        std::cout << out.dump(2) << "\n";
        return ok;
    }
    for (const auto& o : out)
        std::cout << o["name"].get<std::string>() << "\t"
                  << (o["active"].get<bool>() ? "active" : "disabled") << "\t"
                  << (o["password"].get<bool>() ? "password" : "-") << "\t"
                  << o["certificate_subject"].get<std::string>() << "\n";
    return ok;
}

}  // namespace sightline::cli
