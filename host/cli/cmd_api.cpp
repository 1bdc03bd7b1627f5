// sightline api token --name NAME [--tenants a,b] [--json]
#include <openssl/rand.h>

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>

#include "cli.hpp"
#include "sightline/core/profile.hpp"
#include "sightline/core/sha256.hpp"

namespace sightline::cli {

namespace {

// base64url without padding: the token travels in a header and in shell commands unquoted.
std::string base64url(const unsigned char* data, size_t size) {
    static const char* alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    uint32_t bits = 0;
    int count = 0;
    for (size_t i = 0; i < size; ++i) {
        bits = (bits << 8) | data[i];
        count += 8;
        while (count >= 6) {
            count -= 6;
            out += alphabet[(bits >> count) & 0x3f];
        }
    }
    if (count > 0) out += alphabet[(bits << (6 - count)) & 0x3f];
    return out;
}

}  // namespace

int run_api_token(const std::vector<std::string>& args) {
    po::options_description options("Options");
    options.add_options()("name", po::value<std::string>()->required(),
                          "who uses the token: shown in logs and as the author of changes")(
        "tenants", po::value<std::string>()->default_value("*"),
        "comma-separated tenant ids the token reaches; * for every tenant");
    add_json_option(options);
    po::variables_map vm;
    if (!parse(args, "sightline api token --name NAME [--tenants a,b] [--json]", options, {}, vm))
        return ok;
    const std::string name = vm["name"].as<std::string>();
    static const std::regex name_pattern("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    if (!std::regex_match(name, name_pattern))
        throw UsageError("--name must match [A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    std::vector<std::string> tenants;
    const std::string list = vm["tenants"].as<std::string>();
    size_t start = 0;
    while (start <= list.size()) {
        size_t end = list.find(',', start);
        if (end == std::string::npos) end = list.size();
        std::string t = list.substr(start, end - start);
        start = end + 1;
        if (t.empty()) continue;
        if (t != "*" && !core::valid_tenant_id(t))
            throw UsageError("tenant id '" + t + "' is not valid ([a-z0-9][a-z0-9_-]{0,63})");
        tenants.push_back(t);
    }
    if (tenants.empty()) throw UsageError("--tenants needs at least one tenant id (or *)");
    if (tenants.size() > 1 && std::find(tenants.begin(), tenants.end(), "*") != tenants.end())
        throw UsageError("--tenants: * (every tenant) cannot be combined with tenant ids");

    unsigned char random[32];
    if (RAND_bytes(random, sizeof random) != 1) {
        std::cerr << "sightline: the random number generator failed\n";
        return internal;
    }
    const std::string token = "slt_" + base64url(random, sizeof random);
    const std::string hash = core::sha256_hex(token);
    std::string yaml_tenants;
    for (const auto& t : tenants)
        yaml_tenants += (yaml_tenants.empty() ? "" : ", ") + (t == "*" ? "\"*\"" : t);

    if (vm.count("json")) {
        std::cout << nlohmann::json{{"name", name},
                                    {"token", token},
                                    {"sha256", hash},
                                    {"tenants", tenants}}
                         .dump(2)
                  << "\n";
        return ok;
    }
    std::cout << token << "\n";
    std::cerr << "\nThe line above is the token, shown only this once: give it to '" << name
              << "' (HTTP header 'Authorization: Bearer <token>').\n"
                 "The profile keeps only its SHA-256; add this entry under api.tokens:\n\n";
    std::cout << "  - name: " << name << "\n"
              << "    sha256: " << hash << "\n"
              << "    tenants: [" << yaml_tenants << "]\n";
    return ok;
}

}  // namespace sightline::cli
