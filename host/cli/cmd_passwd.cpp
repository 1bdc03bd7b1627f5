// sightline tenant passwd --user NAME --tenant T [--generate] [--json]
// Prints an FTPS account's password hash for the intake's profile section. The password is read
// from standard input (without echo on a terminal) or generated; it is never written anywhere.
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>

#include "cli.hpp"
#include "password_input.hpp"
#include "sightline/core/profile.hpp"
#include "sightline/ftps/password.hpp"

namespace sightline::cli {

int run_tenant_passwd(const std::vector<std::string>& args) {
    po::options_description options("Options");
    options.add_options()("user", po::value<std::string>()->required(), "the FTPS account name")(
        "tenant,t", po::value<std::string>()->required(),
        "the tenant the account uploads for (* for the relay account of a core intake)")(
        "generate", "generate a strong password and print it once, instead of reading stdin");
    add_json_option(options);
    po::variables_map vm;
    if (!parse(args,
               "sightline tenant passwd --user NAME --tenant T [--generate] [--json]\n"
               "Reads the password from standard input unless --generate.",
               options, {}, vm))
        return ok;
    const std::string user = vm["user"].as<std::string>();
    const std::string tenant = vm["tenant"].as<std::string>();
    static const std::regex user_pattern("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    if (!std::regex_match(user, user_pattern))
        throw UsageError("--user must match [A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    if (tenant != "*" && !core::valid_tenant_id(tenant))
        throw UsageError("tenant id '" + tenant + "' is not valid ([a-z0-9][a-z0-9_-]{0,63})");

    const bool generated = vm.count("generate") > 0;
    std::string password = generated ? generate_password() : read_password("Password: ");
    if (!generated && password.size() < 12) {
        std::cerr << "sightline: the password must have at least 12 characters\n";
        return refused;
    }
    const std::string hash = ftps::hash_password(password);
    if (vm.count("json")) {
        nlohmann::json out = {{"user", user}, {"tenant", tenant}, {"password_hash", hash}};
        if (generated) out["password"] = password;
        std::cout << out.dump(2) << "\n";
        return ok;
    }
    if (generated) {
        std::cout << password << "\n";
        std::cerr << "\nThe line above is the password, shown only this once.\n";
    }
    std::cerr << "The profile keeps only its hash; add this entry under the intake-ftps "
                 "plugin's config.accounts:\n\n";
    std::cout << "  - user: " << user << "\n"
              << "    tenant: " << (tenant == "*" ? "\"*\"" : tenant) << "\n"
              << "    password: \"" << hash << "\"\n";
    return ok;
}

}  // namespace sightline::cli
