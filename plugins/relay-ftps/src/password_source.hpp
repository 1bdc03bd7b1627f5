// Where an FTPS client's password comes from: a file only its owner can read, or an environment
// variable. Never from the profile itself, so profiles can be shown and logged.
#pragma once

#include <string>

namespace sightline::ftps_client {

// Reads the password from password_file (first line; refused when the file's mode gives the
// group or others any access) or else from the environment variable password_env. Exactly one
// must be given. Throws plugin::Error; the messages never contain the password.
std::string read_password(const std::string& password_file, const std::string& password_env);

}  // namespace sightline::ftps_client
