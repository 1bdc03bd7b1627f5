// sightline generate --rows N --customers M --seed S [--catalog] [--output FILE]
#include <fstream>
#include <iostream>

#include "cli.hpp"
#include "sightline/core/generator.hpp"

namespace sightline::cli {

int run_generate(const std::vector<std::string>& args) {
    po::options_description options("Options");
    options.add_options()("rows", po::value<uint64_t>()->default_value(1000),
                          "sales lines to write")(
        "customers", po::value<uint64_t>()->default_value(100), "distinct customers to draw from")(
        "seed", po::value<uint64_t>()->default_value(1), "the same seed gives the same bytes")(
        "catalog", "write the matching product catalog instead of sales lines")(
        "output,o", po::value<std::string>(), "write to FILE instead of standard output");
    po::variables_map vm;
    if (!parse(args,
               "sightline generate --rows N --customers M --seed S [--catalog] [--output FILE]",
               options, {}, vm))
        return ok;
    core::GeneratorOptions g;
    g.rows = vm["rows"].as<uint64_t>();
    g.customers = vm["customers"].as<uint64_t>();
    g.seed = vm["seed"].as<uint64_t>();
    if (g.customers == 0) throw UsageError("--customers must be at least 1");
    std::ofstream file;
    std::ostream* out = &std::cout;
    if (vm.count("output")) {
        file.open(vm["output"].as<std::string>(), std::ios::binary | std::ios::trunc);
        if (!file) {
            std::cerr << "sightline: cannot write " << vm["output"].as<std::string>() << "\n";
            return refused;
        }
        out = &file;
    }
    if (vm.count("catalog"))
        core::generate_catalog(g, *out);
    else
        core::generate_sales(g, *out);
    out->flush();
    if (!*out) {
        std::cerr << "sightline: write failed\n";
        return internal;
    }
    return ok;
}

}  // namespace sightline::cli
