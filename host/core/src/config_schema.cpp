#include "sightline/core/config_schema.hpp"

#include <cstdlib>
#include <set>

#include <yaml-cpp/yaml.h>

#include "sightline/core/utf8.hpp"

namespace sightline::core {

using nlohmann::json;

std::string ProfileError::to_string() const {
    std::string out = file;
    if (line > 0) out += ":" + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
    out += ": ";
    if (!key.empty()) out += "key '" + key + "': ";
    return out + message;
}

namespace {

const std::set<std::string> schema_types = {"string", "integer", "boolean",
                                            "number", "array",   "object"};
const std::set<std::string> schema_fields = {"type",    "required", "default",    "description",
                                             "enum",    "secret",   "deprecated", "minimum",
                                             "maximum", "items",    "properties"};

std::string join_keys(const json& schema) {
    std::string out;
    for (auto it = schema.begin(); it != schema.end(); ++it) {
        if (!out.empty()) out += ", ";
        out += it.key();
    }
    return out.empty() ? "(none)" : out;
}

bool parse_bool(const std::string& s, bool& out) {
    if (s == "true" || s == "yes" || s == "on") return out = true, true;
    if (s == "false" || s == "no" || s == "off") return out = false, true;
    return false;
}

bool parse_int(const std::string& s, long long& out) {
    if (s.empty()) return false;
    char* end = nullptr;
    errno = 0;
    out = std::strtoll(s.c_str(), &end, 10);
    return errno == 0 && end && *end == '\0';
}

ProfileError error_at(const YAML::Node& node, const std::string& file, const std::string& key,
                      const std::string& message) {
    ProfileError e;
    e.file = file;
    e.key = key;
    e.message = message;
    if (node.IsDefined() && node.Mark().line >= 0) {
        e.line = node.Mark().line + 1;
        e.column = node.Mark().column + 1;
    }
    return e;
}

json convert_object(const YAML::Node& node, const json& spec, const std::string& file,
                    const std::string& key, std::vector<ProfileError>& errors);

// One value, typed by its spec. Returns null json on error (after reporting it).
json convert_value(const YAML::Node& node, const json& spec, const std::string& file,
                   const std::string& key, std::vector<ProfileError>& errors) {
    const std::string type = spec.value("type", "string");
    auto fail = [&](const std::string& message) {
        errors.push_back(error_at(node, file, key, message));
        return json();
    };
    if (type == "object") return convert_object(node, spec, file, key, errors);
    if (type == "array") {
        if (!node.IsSequence()) return fail("expected a list");
        json out = json::array();
        json item_spec = spec.contains("items") ? spec["items"] : json{{"type", "string"}};
        bool all_good = true;  // every item is checked, so that all errors are reported at once
        for (size_t i = 0; i < node.size(); ++i) {
            json v = convert_value(node[i], item_spec, file, key + "[" + std::to_string(i) + "]",
                                   errors);
            all_good = all_good && !v.is_null();
            out.push_back(v);
        }
        return all_good ? out : json();
    }
    if (!node.IsScalar()) return fail("expected a single value (" + type + ")");
    std::string text;
    std::string env_error;
    if (!substitute_env(node.Scalar(), text, env_error)) return fail(env_error);
    // The config reaches the plugin as JSON text, which only valid UTF-8 can be written as
    // (writing anything else threw, at start and at a reload: found by fuzzing).
    if (!valid_utf8(text)) return fail("not valid UTF-8 text");
    // A secret's value never appears in an error message (they are printed and logged).
    const std::string shown = spec.value("secret", false) ? "(secret value)" : "'" + text + "'";
    json value;
    if (type == "string") {
        value = text;
    } else if (type == "boolean") {
        bool b = false;
        if (!parse_bool(text, b)) return fail("expected true or false, found " + shown);
        value = b;
    } else if (type == "integer") {
        long long n = 0;
        if (!parse_int(text, n)) return fail("expected an integer, found " + shown);
        if (spec.contains("minimum") && n < spec["minimum"].get<long long>())
            return fail("must be at least " + spec["minimum"].dump());
        if (spec.contains("maximum") && n > spec["maximum"].get<long long>())
            return fail("must be at most " + spec["maximum"].dump());
        value = n;
    } else if (type == "number") {
        char* end = nullptr;
        double d = std::strtod(text.c_str(), &end);
        if (text.empty() || !end || *end) return fail("expected a number, found " + shown);
        value = d;
    }
    if (spec.contains("enum")) {
        bool found = false;
        std::string allowed;
        for (const auto& option : spec["enum"]) {
            if (option == value) found = true;
            allowed += (allowed.empty() ? "" : ", ") + option.dump();
        }
        if (!found) return fail(shown + " is not one of " + allowed);
    }
    return value;
}

// A mapping. With "properties" (a nested schema) it is checked like a plugin's config: typed
// values, defaults, unknown keys refused. Without, it is free-form: values pass as strings.
json convert_object(const YAML::Node& node, const json& spec, const std::string& file,
                    const std::string& key, std::vector<ProfileError>& errors) {
    if (!node.IsMap()) {
        errors.push_back(error_at(node, file, key, "expected a mapping"));
        return json();
    }
    const size_t before = errors.size();
    if (spec.contains("properties")) {
        json out = validate_config(node, spec["properties"], file, key, errors);
        return errors.size() == before ? out : json();
    }
    json obj = json::object();
    for (const auto& inner : node) {
        const std::string path = key + "." + inner.first.Scalar();
        std::string text, env_error;
        if (!inner.second.IsScalar()) {
            errors.push_back(error_at(inner.second, file, path, "expected a single value"));
            continue;
        }
        if (!substitute_env(inner.second.Scalar(), text, env_error)) {
            errors.push_back(error_at(inner.second, file, path, env_error));
            continue;
        }
        obj[inner.first.Scalar()] = text;
    }
    return errors.size() == before ? obj : json();
}

}  // namespace

std::string check_schema(const json& schema) {
    if (!schema.is_object()) return "config schema is not a JSON object";
    for (auto it = schema.begin(); it != schema.end(); ++it) {
        const json& spec = it.value();
        if (!spec.is_object()) return "schema entry '" + it.key() + "' is not an object";
        for (auto f = spec.begin(); f != spec.end(); ++f)
            if (!schema_fields.count(f.key()))
                return "schema entry '" + it.key() + "' has unknown field '" + f.key() + "'";
        if (!spec.contains("type") || !spec["type"].is_string() ||
            !schema_types.count(spec["type"].get<std::string>()))
            return "schema entry '" + it.key() + "' has no valid type";
        if (spec.contains("description") && !spec["description"].is_string())
            return "schema entry '" + it.key() + "' has a description that is not text";
        // Nested schemas: an object's properties, an array's item spec (its properties).
        if (spec.contains("properties")) {
            if (spec["type"] != "object")
                return "schema entry '" + it.key() + "' has properties but is not an object";
            const std::string inner = check_schema(spec["properties"]);
            if (!inner.empty()) return it.key() + ": " + inner;
        }
        if (spec.contains("items")) {
            if (spec["type"] != "array")
                return "schema entry '" + it.key() + "' has items but is not an array";
            const std::string inner = check_schema(json{{"items", spec["items"]}});
            if (!inner.empty()) return it.key() + "." + inner;
        }
    }
    return "";
}

std::vector<std::string> secret_keys(const json& schema) {
    std::vector<std::string> out;
    if (!schema.is_object()) return out;
    for (auto it = schema.begin(); it != schema.end(); ++it)
        if (it.value().value("secret", false)) out.push_back(it.key());
    return out;
}

json validate_config(const YAML::Node& node, const json& schema, const std::string& file,
                     const std::string& key_path, std::vector<ProfileError>& errors) {
    json out = json::object();
    if (node.IsDefined() && !node.IsNull() && !node.IsMap()) {
        errors.push_back(error_at(node, file, key_path, "expected a mapping of settings"));
        return out;
    }
    if (node.IsMap()) {
        for (const auto& kv : node) {
            const std::string key = kv.first.Scalar();
            const std::string path = key_path + "." + key;
            if (!schema.contains(key)) {
                errors.push_back(error_at(kv.first, file, path,
                                          "unknown key; allowed keys: " + join_keys(schema)));
                continue;
            }
            const json& spec = schema[key];
            json value = convert_value(kv.second, spec, file, path, errors);
            if (!value.is_null()) out[key] = value;
        }
    }
    for (auto it = schema.begin(); it != schema.end(); ++it) {
        if (out.contains(it.key())) continue;
        if (it.value().contains("default")) {
            out[it.key()] = it.value()["default"];
        } else if (it.value().value("required", false)) {
            ProfileError e =
                error_at(node, file, key_path + "." + it.key(), "required key is missing");
            errors.push_back(e);
        }
    }
    return out;
}

bool substitute_env(const std::string& in, std::string& out, std::string& error) {
    out.clear();
    for (size_t i = 0; i < in.size(); ++i) {
        if (in.compare(i, 3, "$${") == 0) {
            out += "${";
            i += 2;
            continue;
        }
        if (in.compare(i, 2, "${") == 0) {
            size_t close = in.find('}', i + 2);
            if (close == std::string::npos) {
                error = "unterminated ${ in value";
                return false;
            }
            std::string name = in.substr(i + 2, close - i - 2);
            const char* value = name.empty() ? nullptr : std::getenv(name.c_str());
            if (!value) {
                error = "environment variable '" + name + "' is not set";
                return false;
            }
            out += value;
            i = close;
            continue;
        }
        out += in[i];
    }
    return true;
}

}  // namespace sightline::core
