#pragma once

#include <memory>
#include <string>

#include "cli.hpp"
#include "sightline/core/runtime.hpp"

namespace sightline::cli {

// Starts the profile's runtime; on failure prints why and returns nullptr (exit code refused).
std::unique_ptr<core::Runtime> open_runtime(const po::variables_map& vm);

// Adds --profile and --plugin-path.
void add_profile_options(po::options_description& options);

}  // namespace sightline::cli
