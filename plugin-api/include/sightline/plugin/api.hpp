// Sightline plugin API, version 1.6: the one header every plugin includes.
//
// The boundary has two layers:
//  * A plain-data descriptor (struct sl_plugin_descriptor) that the host reads and checks before
//    it calls any plugin code: identity, kind, versions, licence, config schema, ABI tag.
//  * C++ interfaces (this folder) for the objects a plugin creates. They cross the boundary as
//    C++ objects, so host and plugin must share one C++ ABI: the descriptor carries
//    SIGHTLINE_ABI_TAG and the host refuses a plugin whose tag differs from its own.
//
// Compatibility rules (see docs/plugin-authors.md):
//  * Same API major required; a plugin whose minor is newer than the host's is refused.
//  * Within a major, interfaces only grow at the end (new virtual functions are appended and
//    have default implementations), and the descriptor only grows at the end (struct_size).
//    Plugin itself never grows: every kind interface derives from it, so a virtual appended to
//    Plugin would move the slots of all of them (Transport::start of a 1.2 plugin would be
//    called through the new slot). Features for every kind come as separate interfaces that a
//    plugin class may also derive from, found with dynamic_cast (Reconfigurable, since 1.3).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/dll/alias.hpp>

#define SIGHTLINE_PLUGIN_API_MAJOR 1
#define SIGHTLINE_PLUGIN_API_MINOR 6

// The C++ ABI the interfaces assume: Itanium C++ ABI with libstdc++'s C++11 string/list ABI.
#if defined(__GLIBCXX__) && defined(_GLIBCXX_USE_CXX11_ABI) && _GLIBCXX_USE_CXX11_ABI
#define SIGHTLINE_ABI_TAG "itanium/libstdc++/cxx11"
#elif defined(__GLIBCXX__)
#define SIGHTLINE_ABI_TAG "itanium/libstdc++/cxx98"
#elif defined(_LIBCPP_VERSION)
#define SIGHTLINE_ABI_TAG "itanium/libc++"
#else
#define SIGHTLINE_ABI_TAG "unknown"
#endif

// The only symbol a plugin exports. Its value is a pointer to the plugin's descriptor.
#define SIGHTLINE_PLUGIN_ENTRY_NAME "sightline_plugin_v1"

namespace sightline::plugin {
class Plugin;
class HostServices;

// What the host hands a plugin when it creates it.
struct CreateContext {
    HostServices* host = nullptr;  // outlives the plugin object
    std::string config_json;  // the profile section, validated against the schema, defaults applied
    std::string instance_name;  // e.g. "target" or "intake[0]", for log lines
};

using CreateFunction = std::unique_ptr<Plugin> (*)(const CreateContext&);
}  // namespace sightline::plugin

extern "C" {
// Plain data, readable without running any plugin code beyond the dynamic loader.
// Fields are only ever appended; struct_size tells the host which fields exist.
struct sl_plugin_descriptor {
    uint32_t struct_size;
    uint32_t api_major;
    uint32_t api_minor;
    const char* abi_tag;        // SIGHTLINE_ABI_TAG as seen by the plugin's compiler
    const char* id;             // [a-z0-9][a-z0-9-]*, unique among loaded plugins
    const char* kind;           // "transport", "archive", "target", "evaluator" or "service"
    const char* version;        // the plugin's own version, semver
    const char* license;        // SPDX identifier
    const char* description;    // one line
    const char* config_schema;  // JSON, see docs/plugin-authors.md#config-schema
    sightline::plugin::CreateFunction create;
    const char* signature;  // reserved for signed plugins; nullptr today
};
}

namespace sightline::plugin {

enum class Kind { transport, archive, target, evaluator, service };

inline const char* to_string(Kind k) {
    switch (k) {
        case Kind::transport:
            return "transport";
        case Kind::archive:
            return "archive";
        case Kind::target:
            return "target";
        case Kind::evaluator:
            return "evaluator";
        case Kind::service:
            return "service";
    }
    return "?";
}

// Plugins report failure by throwing; the host catches everything at the boundary and names the
// plugin. Error::transient marks failures worth retrying later (a database that is down).
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& what, bool transient = false)
        : std::runtime_error(what), transient_(transient) {}
    bool transient() const noexcept { return transient_; }

private:
    bool transient_;
};

enum class LogLevel { debug, info, warn, error };

// Structured fields of one log event; values are rendered as JSON strings.
using LogFields = std::map<std::string, std::string>;

// Host services a plugin may use. Reached through CreateContext::host only, so that plugins never
// link against host symbols.
class HostServices {
public:
    virtual ~HostServices() = default;
    // One structured log line. Never pass secrets or customer ids.
    virtual void log(LogLevel level, std::string_view event, const LogFields& fields) = 0;
    // A folder this plugin instance may keep state in (created on demand).
    virtual std::string state_dir() = 0;
    // Current time in microseconds since the epoch, UTC. Injected so tests control time.
    virtual int64_t now_us() = 0;
    // The tenant ids the profile defines.
    virtual std::vector<std::string> tenants() = 0;
};

// Base of every plugin object. The concrete interface comes from the kind: Transport, Archive,
// Target, Evaluator, Service. The host casts with dynamic_cast after checking the kind.
class Plugin {
public:
    virtual ~Plugin() = default;
};

// Since API 1.3: live reconfiguration (`sightline serve` on SIGHUP), for plugins of any kind. A
// plugin opts in by deriving from this too (class X : public Transport, public Reconfigurable);
// the host finds it with dynamic_cast<Reconfigurable*> on the Plugin object. A plugin that does
// not derive from it (every plugin built before 1.3) needs a restart for any change of its
// profile section, which the host logs.
class Reconfigurable {
public:
    virtual ~Reconfigurable() = default;
    // config_json: the new profile section in the form CreateContext::config_json has
    // (validated against the schema, defaults applied). HostServices::tenants() already answers
    // with the new profile's tenants. Returns true when the new config is in force, false when
    // this plugin cannot apply it without a restart: then nothing changed (the old config stays
    // in force until the restart). Throws Error when the new config is invalid or cannot be
    // applied (a certificate that does not load); the old one stays in force. Called from a
    // host thread while the plugin works (a transport between start() and stop() too), never
    // concurrently with itself, creation or destruction. Work in progress (an upload) is not
    // interrupted: it finishes under the config it started with. An unchanged section may be
    // handed over again (every SIGHUP): that returns true.
    virtual bool reconfigure(const std::string& config_json) = 0;
};

}  // namespace sightline::plugin

// Export the descriptor as the library's single entry point: a Boost.DLL alias named
// sightline_plugin_v1 in the "boostdll" section, so tools can find it with
// boost::dll::library_info. Use at namespace scope; build with -fvisibility=hidden
// (sightline_add_plugin() does).
#define SIGHTLINE_PLUGIN(descriptor_variable) \
    BOOST_DLL_ALIAS(descriptor_variable, sightline_plugin_v1)

// Fill the fixed fields of a descriptor.
#define SIGHTLINE_DESCRIPTOR(id, kind, version, license, description, schema, create_fn)           \
    sl_plugin_descriptor {                                                                         \
        sizeof(sl_plugin_descriptor), SIGHTLINE_PLUGIN_API_MAJOR, SIGHTLINE_PLUGIN_API_MINOR,      \
            SIGHTLINE_ABI_TAG, id, kind, version, license, description, schema, create_fn, nullptr \
    }
