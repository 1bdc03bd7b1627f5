// Plugin config schemas as data (declared in each plugin's descriptor), and the validation of a
// profile's YAML section against one, with errors that name the file, line and key.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace YAML {
class Node;
}

namespace sightline::core {

struct ProfileError {
    std::string file;
    int line = 0;  // 1-based; 0 when unknown
    int column = 0;
    std::string key;  // dotted path, e.g. "target.config.dir"
    std::string message;
    std::string to_string() const;
};

// Checks that a descriptor's schema text is well-formed; returns "" or what is wrong.
std::string check_schema(const nlohmann::json& schema);

// Secret keys of a schema (their values are never printed or logged).
std::vector<std::string> secret_keys(const nlohmann::json& schema);

// Converts a YAML mapping to the JSON config a plugin receives: scalars typed by the schema,
// ${ENV} substituted, defaults applied, unknown keys and missing required keys reported.
nlohmann::json validate_config(const YAML::Node& node, const nlohmann::json& schema,
                               const std::string& file, const std::string& key_path,
                               std::vector<ProfileError>& errors);

// Replaces ${NAME} with the environment variable's value; a missing variable is an error.
// "$${" stands for a literal "${".
bool substitute_env(const std::string& in, std::string& out, std::string& error);

}  // namespace sightline::core
