// sightline profile check PROFILE
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "sightline/core/runtime.hpp"
#include "sightline/core/storage_names.hpp"

namespace sightline::cli {

int run_profile_check(const std::vector<std::string>& args) {
    po::options_description options("Options");
    add_plugin_path_option(options);
    add_json_option(options);
    options.add_options()("profile", po::value<std::string>()->required(), "the profile (YAML)");
    po::positional_options_description positional;
    positional.add("profile", 1);
    po::variables_map vm;
    if (!parse(args, "sightline profile check PROFILE [--json] [--plugin-path DIRS]", options,
               positional, vm))
        return ok;
    std::vector<core::ProfileError> errors;
    const std::string path = vm["profile"].as<std::string>();
    core::CheckedProfile checked =
        core::check_profile(path, vm["plugin-path"].as<std::string>(), errors);
    // Only a profile whose plugins and configs check out can have its targets asked.
    core::StorageNameCheck storage;
    if (errors.empty()) storage = core::check_storage_names(checked);
    for (const auto& message : storage.errors) {
        core::ProfileError e;
        e.file = path;
        e.key = "tenants";
        e.message = message;
        errors.push_back(e);
    }
    if (vm.count("json")) {
        nlohmann::json out = {{"profile", path},
                              {"ok", errors.empty()},
                              {"errors", nlohmann::json::array()},
                              {"warnings", storage.warnings}};
        for (const auto& e : errors)
            out["errors"].push_back({{"file", e.file},
                                     {"line", e.line},
                                     {"column", e.column},
                                     {"key", e.key},
                                     {"message", e.message}});
        std::cout << out.dump(2) << "\n";
        return errors.empty() ? ok : refused;
    }
    for (const auto& w : storage.warnings) std::cerr << path << ": warning: " << w << "\n";
    if (!errors.empty()) {
        for (const auto& e : errors) std::cerr << e.to_string() << "\n";
        std::cerr << path << ": " << errors.size() << (errors.size() == 1 ? " error" : " errors")
                  << "\n";
        return refused;
    }
    std::cout << path << ": ok (" << checked.profile.tenants.size() << " tenants; plugins:";
    for (const auto& s : checked.profile.plugins) std::cout << " " << s.role << "=" << s.plugin;
    std::cout << ")\n";
    return ok;
}

}  // namespace sightline::cli
