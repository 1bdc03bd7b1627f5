#include <iostream>

#include "cli.hpp"

namespace sightline::cli {

bool parse(const std::vector<std::string>& args, const std::string& usage_line,
           po::options_description& options, const po::positional_options_description& positional,
           po::variables_map& vm) {
    options.add_options()("help,h", "show this help");
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
    if (vm.count("help")) {
        std::cout << "Usage: " << usage_line << "\n\n" << options << "\n";
        return false;
    }
    po::notify(vm);
    return true;
}

void add_plugin_path_option(po::options_description& options) {
    options.add_options()("plugin-path", po::value<std::string>()->default_value(""),
                          "extra plugin folders (colon-separated), searched first");
}

void add_json_option(po::options_description& options) {
    options.add_options()("json", "print JSON for scripts");
}

}  // namespace sightline::cli
