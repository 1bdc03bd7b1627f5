#include "runtime_open.hpp"

#include <iostream>

namespace sightline::cli {

void add_profile_options(po::options_description& options) {
    options.add_options()("profile,p", po::value<std::string>()->required(),
                          "the deployment profile (YAML)");
    add_plugin_path_option(options);
}

std::unique_ptr<core::Runtime> open_runtime(const po::variables_map& vm) {
    try {
        return std::make_unique<core::Runtime>(vm["profile"].as<std::string>(),
                                               vm["plugin-path"].as<std::string>());
    } catch (const core::StartupError& e) {
        std::cerr << "sightline: cannot start: " << e.what() << "\n";
        return nullptr;
    }
}

}  // namespace sightline::cli
