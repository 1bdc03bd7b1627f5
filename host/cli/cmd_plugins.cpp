// sightline plugins list | inspect
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "sightline/core/plugin_loader.hpp"
#include "sightline/core/profile.hpp"

namespace sightline::cli {

namespace {

std::vector<std::string> search_path_from(const po::variables_map& vm) {
    std::vector<std::string> profile_path;
    if (vm.count("profile")) {
        std::vector<core::ProfileError> errors;
        profile_path = core::load_profile(vm["profile"].as<std::string>(), errors).plugin_path;
    }
    return core::plugin_search_path(vm["plugin-path"].as<std::string>(), profile_path);
}

void print_schema(const nlohmann::json& schema) {
    if (schema.empty()) {
        std::cout << "  (no settings)\n";
        return;
    }
    for (auto it = schema.begin(); it != schema.end(); ++it) {
        const auto& spec = it.value();
        std::cout << "  " << it.key() << " (" << spec.value("type", "?");
        if (spec.value("required", false)) std::cout << ", required";
        if (spec.contains("default")) std::cout << ", default " << spec["default"].dump();
        if (spec.value("secret", false)) std::cout << ", secret";
        if (spec.value("deprecated", false)) std::cout << ", deprecated";
        std::cout << ")\n";
        if (spec.contains("enum")) std::cout << "      one of: " << spec["enum"].dump() << "\n";
        if (spec.contains("description"))
            std::cout << "      " << spec["description"].get<std::string>() << "\n";
    }
}

}  // namespace

int run_plugins_list(const std::vector<std::string>& args) {
    po::options_description options("Options");
    add_plugin_path_option(options);
    add_json_option(options);
    options.add_options()("profile", po::value<std::string>(),
                          "also search the profile's plugins.path");
    po::variables_map vm;
    if (!parse(args, "sightline plugins list [--json] [--plugin-path DIRS] [--profile P]", options,
               {}, vm))
        return ok;
    const auto search = search_path_from(vm);
    nlohmann::json out = nlohmann::json::array();
    for (const core::PluginInfo& info : core::probe_plugins(core::find_plugin_files(search))) {
        const std::string& file = info.file;
        if (vm.count("json")) {
            out.push_back(info.to_json());
            continue;
        }
        if (info.ok)
            std::cout << info.id << "  " << info.kind << "  " << info.version << "  API "
                      << info.api_major << "." << info.api_minor << "  " << info.description
                      << "\n    " << info.file << "\n";
        else
            std::cout << "REFUSED  " << std::filesystem::path(file).filename().string() << "\n    "
                      << info.refusal << "\n";
    }
    if (vm.count("json")) std::cout << out.dump(2) << "\n";
    return ok;
}

int run_plugins_inspect(const std::vector<std::string>& args) {
    po::options_description options("Options");
    add_plugin_path_option(options);
    add_json_option(options);
    options.add_options()("plugin", po::value<std::string>()->required(), "plugin id or file")(
        "profile", po::value<std::string>(), "also search the profile's plugins.path");
    po::positional_options_description positional;
    positional.add("plugin", 1);
    po::variables_map vm;
    if (!parse(args, "sightline plugins inspect NAME|FILE [--json] [--plugin-path DIRS]", options,
               positional, vm))
        return ok;
    const std::string name = vm["plugin"].as<std::string>();
    std::string file = name;
    if (name.find('/') == std::string::npos && name.find(".so") == std::string::npos) {
        auto found = core::find_plugin(name, search_path_from(vm));
        if (!found) {
            std::cerr << "sightline: plugin '" << name << "' not found\n";
            return refused;
        }
        file = *found;
    }
    const core::PluginInfo info = core::probe_plugin(file);
    if (vm.count("json")) {
        std::cout << info.to_json().dump(2) << "\n";
        return info.ok ? ok : refused;
    }
    if (!info.ok) {
        std::cerr << "sightline: refused: " << info.refusal << "\n";
        return refused;
    }
    std::cout << "id           " << info.id << "\nkind         " << info.kind << "\nversion      "
              << info.version << "\nplugin API   " << info.api_major << "." << info.api_minor
              << "\nABI          " << info.abi_tag << "\nlicense      " << info.license
              << "\ndescription  " << info.description << "\nfile         " << info.file
              << "\nconfig:\n";
    print_schema(info.schema);
    return ok;
}

}  // namespace sightline::cli
