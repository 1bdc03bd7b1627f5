#include "config.hpp"

#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "sightline/plugin/api.hpp"

namespace sightline::intake_dir {

const char config_schema_json[] = R"json({
  "root": {
    "type": "string",
    "required": true,
    "description": "Landing folder; tenant T uploads to <root>/T/ (incremental) and <root>/T/full/ (full)"
  },
  "poll_interval_ms": {
    "type": "integer",
    "default": 1000,
    "minimum": 10,
    "maximum": 3600000,
    "description": "How often the folders are scanned, in milliseconds"
  },
  "create_folders": {
    "type": "boolean",
    "default": true,
    "description": "Create missing tenant folders (mode landing_mode) when the plugin starts"
  },
  "landing_mode": {
    "type": "string",
    "default": "0700",
    "description": "Octal mode of the folders the plugin creates, e.g. \"2770\" so that a group of writer accounts can drop files; the owner keeps rwx, others get nothing, setuid is refused"
  },
  "settle_ms": {
    "type": "integer",
    "default": 0,
    "minimum": 0,
    "maximum": 86400000,
    "description": "Also require a file to be unmodified for this long, for writers that do not rename"
  }
})json";

namespace {

using nlohmann::json;
using plugin::Error;

[[noreturn]] void fail(const std::string& message) { throw Error("intake-dir config: " + message); }

int64_t integer_in(const json& config, const char* key, int64_t fallback, int64_t min,
                   int64_t max) {
    auto it = config.find(key);
    if (it == config.end()) return fallback;
    if (!it->is_number_integer()) fail(std::string("'") + key + "' must be an integer");
    // Unsigned values above int64 range cannot be read as int64: reject them as out of range.
    if (it->is_number_unsigned() && it->get<uint64_t>() > static_cast<uint64_t>(max)) {
        fail(std::string("'") + key + "' must be at most " + std::to_string(max));
    }
    const auto value = it->get<int64_t>();
    if (value < min) fail(std::string("'") + key + "' must be at least " + std::to_string(min));
    if (value > max) fail(std::string("'") + key + "' must be at most " + std::to_string(max));
    return value;
}

// Landing folders hold tenants' sales data: the owner (the service) keeps full access, a group of
// writer accounts may be let in, and every other account stays out. Setuid means nothing on a
// folder; setgid (new files keep the folder's group) and sticky (writers cannot remove each
// other's files) are accepted.
unsigned landing_mode_of(const std::string& text) {
    const std::string where = "'landing_mode' \"" + text + "\" ";
    if (text.size() < 3 || text.size() > 4 ||
        text.find_first_not_of("01234567") != std::string::npos)
        fail(where + "must be 3 or 4 octal digits, such as \"0770\"");
    const unsigned mode = static_cast<unsigned>(std::stoul(text, nullptr, 8));
    if ((mode & 0700) != 0700) fail(where + "must keep rwx for the owner (the service user)");
    if (mode & 0007)
        fail(where +
             "must give others no access (landing folders hold tenants' data: let "
             "writer accounts in through a group, e.g. \"2770\")");
    if (mode & 04000) fail(where + "must not set setuid");
    return mode;
}

}  // namespace

Config parse_config(const std::string& json_text) {
    json config;
    try {
        config = json::parse(json_text);
    } catch (const json::exception& e) {
        fail(std::string("not valid JSON: ") + e.what());
    }
    if (!config.is_object()) fail("expected a JSON object");

    static const std::set<std::string> known{"root", "poll_interval_ms", "create_folders",
                                             "settle_ms", "landing_mode"};
    for (const auto& item : config.items()) {
        if (known.count(item.key()) == 0) {
            fail("unknown key '" + item.key() +
                 "' (allowed: root, poll_interval_ms, create_folders, settle_ms, landing_mode)");
        }
    }

    Config parsed;
    auto root = config.find("root");
    if (root == config.end()) fail("'root' is required");
    if (!root->is_string() || root->get<std::string>().empty()) {
        fail("'root' must be a non-empty string");
    }
    // Uploads carry absolute paths, so a relative root is resolved once, here, against the
    // working directory the host was started in.
    std::error_code ec;
    auto absolute = std::filesystem::absolute(root->get<std::string>(), ec);
    if (ec) fail("'root' cannot be made absolute: " + ec.message());
    parsed.root = absolute.lexically_normal().string();
    if (parsed.root.size() > 1 && parsed.root.back() == '/') parsed.root.pop_back();

    parsed.poll_interval_ms = integer_in(config, "poll_interval_ms", 1000, 10, 3600000);
    parsed.settle_ms = integer_in(config, "settle_ms", 0, 0, 86400000);
    auto create = config.find("create_folders");
    if (create != config.end()) {
        if (!create->is_boolean()) fail("'create_folders' must be true or false");
        parsed.create_folders = create->get<bool>();
    }
    auto mode = config.find("landing_mode");
    if (mode != config.end()) {
        if (!mode->is_string()) fail("'landing_mode' must be a string such as \"0770\"");
        parsed.landing_mode = landing_mode_of(mode->get<std::string>());
    }
    return parsed;
}

}  // namespace sightline::intake_dir
