#include "sightline/core/plugin_loader.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>

#include "plugin_trust.hpp"
#include "sightline/core/config_schema.hpp"

namespace fs = std::filesystem;

namespace sightline::core {

using nlohmann::json;

namespace {

const char* const file_prefix = "sightline-";
const char* const file_suffix = ".so";

std::vector<std::string> split_path_list(const std::string& list) {
    std::vector<std::string> out;
    std::stringstream in(list);
    std::string item;
    while (std::getline(in, item, ':'))
        if (!item.empty()) out.push_back(item);
    return out;
}

const std::set<std::string> kinds = {"transport", "archive", "target", "evaluator", "service"};

// Boost.DLL wraps the dynamic loader's message in its own words; keep the loader's.
std::string load_error(const std::exception& e) {
    const std::string text = e.what();
    const std::string marker = "dlerror system message: ";
    const auto at = text.find(marker);
    if (at == std::string::npos) return text;
    const auto end = text.rfind("): ");
    return text.substr(at + marker.size(), end != std::string::npos && end > at
                                               ? end - at - marker.size()
                                               : std::string::npos);
}

}  // namespace

json PluginInfo::to_json() const {
    json j = {{"file", file}, {"ok", ok}};
    if (!ok) j["refusal"] = refusal;
    if (!id.empty()) {
        j["id"] = id;
        j["kind"] = kind;
        j["version"] = version;
        j["license"] = license;
        j["description"] = description;
        j["api_version"] = std::to_string(api_major) + "." + std::to_string(api_minor);
        j["abi"] = abi_tag;
        j["config_schema"] = schema;
    }
    return j;
}

PluginInfo PluginInfo::from_json(const json& j) {
    PluginInfo p;
    p.file = j.value("file", "");
    p.ok = j.value("ok", false);
    p.refusal = j.value("refusal", "");
    p.id = j.value("id", "");
    p.kind = j.value("kind", "");
    p.version = j.value("version", "");
    p.license = j.value("license", "");
    p.description = j.value("description", "");
    p.abi_tag = j.value("abi", "");
    std::string api = j.value("api_version", "0.0");
    p.api_major = static_cast<uint32_t>(std::stoul(api.substr(0, api.find('.'))));
    p.api_minor = static_cast<uint32_t>(std::stoul(api.substr(api.find('.') + 1)));
    if (j.contains("config_schema")) p.schema = j["config_schema"];
    return p;
}

std::vector<std::string> plugin_search_path(const std::string& cli_path,
                                            const std::vector<std::string>& profile_path) {
    std::vector<std::string> out = split_path_list(cli_path);
    if (const char* env = std::getenv("SIGHTLINE_PLUGIN_PATH"))
        for (auto& p : split_path_list(env)) out.push_back(p);
    for (const auto& p : profile_path) out.push_back(p);
    // <prefix>/bin/sightline -> <prefix>/lib/sightline/plugins
    fs::path exe = boost::dll::program_location();
    out.push_back((exe.parent_path().parent_path() / SIGHTLINE_PLUGIN_SUBDIR).string());
    return out;
}

std::vector<std::string> find_plugin_files(const std::vector<std::string>& search_path) {
    std::vector<std::string> out;
    std::set<std::string> names;
    for (const auto& dir : search_path) {
        std::error_code ec;
        std::vector<fs::path> here;
        for (const auto& entry : fs::directory_iterator(dir, ec)) {
            const std::string name = entry.path().filename().string();
            if (name.rfind(file_prefix, 0) == 0 && name.size() > 3 &&
                name.compare(name.size() - 3, 3, file_suffix) == 0)
                here.push_back(entry.path());
        }
        std::sort(here.begin(), here.end());
        for (const auto& p : here)
            if (names.insert(p.filename().string()).second) out.push_back(p.string());
    }
    return out;
}

std::optional<std::string> find_plugin(const std::string& id,
                                       const std::vector<std::string>& search_path) {
    for (const auto& dir : search_path) {
        fs::path candidate = fs::path(dir) / (file_prefix + id + file_suffix);
        std::error_code ec;
        if (fs::exists(candidate, ec)) return candidate.string();
    }
    return std::nullopt;
}

std::string check_trust(const std::string& file) {
    std::string why;
    trusted_plugin_fd(file, why);
    return why;
}

bool check_descriptor(const sl_plugin_descriptor* d, PluginInfo& info) {
    auto refuse = [&](const std::string& why) {
        info.ok = false;
        info.refusal = why;
        return false;
    };
    const std::string where = "(" + info.file + ")";
    if (!d) return refuse("plugin " + where + " returned no descriptor");
    if (d->struct_size < offsetof(sl_plugin_descriptor, create) + sizeof(d->create))
        return refuse("plugin " + where + " has a truncated descriptor (" +
                      std::to_string(d->struct_size) + " bytes)");
    info.api_major = d->api_major;
    info.api_minor = d->api_minor;
    const std::string name = d->id ? std::string("'") + d->id + "' " : std::string();
    const std::string host_version = std::to_string(SIGHTLINE_PLUGIN_API_MAJOR) + "." +
                                     std::to_string(SIGHTLINE_PLUGIN_API_MINOR);
    const std::string plugin_version =
        std::to_string(d->api_major) + "." + std::to_string(d->api_minor);
    if (d->api_major != SIGHTLINE_PLUGIN_API_MAJOR || d->api_minor > SIGHTLINE_PLUGIN_API_MINOR)
        return refuse("plugin " + name + where + " was built for plugin API " + plugin_version +
                      "; this host provides " + host_version);
    for (const char* field :
         {d->abi_tag, d->id, d->kind, d->version, d->license, d->description, d->config_schema})
        if (!field) return refuse("plugin " + name + where + " has an incomplete descriptor");
    info.abi_tag = d->abi_tag;
    info.id = d->id;
    info.kind = d->kind;
    info.version = d->version;
    info.license = d->license;
    info.description = d->description;
    if (info.abi_tag != SIGHTLINE_ABI_TAG)
        return refuse("plugin '" + info.id + "' " + where + " was built for C++ ABI '" +
                      info.abi_tag + "'; this host uses '" SIGHTLINE_ABI_TAG "'");
    static const std::regex id_pattern("[a-z0-9][a-z0-9-]{0,63}");
    if (!std::regex_match(info.id, id_pattern))
        return refuse("plugin " + where + " has an invalid id '" + info.id + "'");
    if (!kinds.count(info.kind))
        return refuse("plugin '" + info.id + "' " + where + " has unknown kind '" + info.kind +
                      "' (known: transport, archive, target, evaluator, service)");
    const std::string expected_name = file_prefix + info.id + file_suffix;
    if (fs::path(info.file).filename() != expected_name)
        return refuse("plugin '" + info.id + "' is in a file named " +
                      fs::path(info.file).filename().string() + "; expected " + expected_name);
    json schema = json::parse(d->config_schema, nullptr, false);
    if (schema.is_discarded())
        return refuse("plugin '" + info.id + "' " + where +
                      " has a config schema that is not JSON");
    std::string schema_problem = check_schema(schema);
    if (!schema_problem.empty())
        return refuse("plugin '" + info.id + "' " + where + ": " + schema_problem);
    info.schema = schema;
    if (!d->create) return refuse("plugin '" + info.id + "' " + where + " has no create function");
    info.ok = true;
    return true;
}

namespace {

// Runs in the child: load the checked descriptor (inherited through fork), check, print the info
// as JSON.
[[noreturn]] void probe_child(const std::string& file, int file_fd, int out_fd) {
    PluginInfo info;
    info.file = file;
    try {
        boost::dll::shared_library lib(
            descriptor_path(file_fd),
            boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
        if (!lib.has(SIGHTLINE_PLUGIN_ENTRY_NAME)) {
            info.refusal =
                file +
                " is not a Sightline plugin: it has no entry point " SIGHTLINE_PLUGIN_ENTRY_NAME;
        } else {
            const auto& d = lib.get_alias<const sl_plugin_descriptor>(SIGHTLINE_PLUGIN_ENTRY_NAME);
            check_descriptor(&d, info);
        }
    } catch (const std::exception& e) {
        info.refusal = "cannot load " + file + ": " + name_file(load_error(e), file_fd, file);
    }
    std::string text = info.to_json().dump();
    size_t done = 0;
    while (done < text.size()) {
        ssize_t n = write(out_fd, text.data() + done, text.size() - done);
        if (n <= 0) break;
        done += static_cast<size_t>(n);
    }
    _exit(0);
}

}  // namespace

namespace {

// One probe child in flight.
struct Probe {
    PluginInfo info;
    pid_t pid = -1;
    int fd = -1;
    std::string text;
};

void start_probe(Probe& probe) {
    const int file_fd = trusted_plugin_fd(probe.info.file, probe.info.refusal);
    if (file_fd < 0) return;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        probe.info.refusal = std::string("cannot probe: pipe: ") + strerror(errno);
        return;
    }
    fflush(nullptr);
    probe.pid = fork();
    if (probe.pid < 0) {
        close(fds[0]);
        close(fds[1]);
        probe.info.refusal = std::string("cannot probe: fork: ") + strerror(errno);
        return;
    }
    if (probe.pid == 0) {
        close(fds[0]);
        probe_child(probe.info.file, file_fd, fds[1]);
    }
    close(fds[1]);
    probe.fd = fds[0];
}

// Reads every child's report until each has closed its pipe or the deadline passed.
void collect(std::vector<Probe>& probes, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char buffer[4096];
    for (;;) {
        std::vector<pollfd> fds;
        std::vector<Probe*> owners;
        for (auto& p : probes)
            if (p.fd >= 0) {
                fds.push_back({p.fd, POLLIN, 0});
                owners.push_back(&p);
            }
        if (fds.empty()) return;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return;
        const int r = poll(fds.data(), fds.size(), static_cast<int>(left.count()));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return;
        for (size_t i = 0; i < fds.size(); ++i) {
            if (!fds[i].revents) continue;
            const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR) continue;
            if (n > 0) {
                owners[i]->text.append(buffer, static_cast<size_t>(n));
            } else {
                close(owners[i]->fd);
                owners[i]->fd = -1;
            }
        }
    }
}

void finish_probe(Probe& probe, std::chrono::milliseconds timeout) {
    if (probe.pid < 0) return;
    const bool timed_out = probe.fd >= 0;
    if (timed_out) {
        close(probe.fd);
        kill(probe.pid, SIGKILL);
    }
    int status = 0;
    while (waitpid(probe.pid, &status, 0) < 0 && errno == EINTR) {
    }
    const std::string& file = probe.info.file;
    if (timed_out) {
        probe.info.refusal = "plugin file " + file + " did not finish loading within " +
                             std::to_string(timeout.count()) + " ms";
        return;
    }
    if (WIFSIGNALED(status)) {
        probe.info.refusal = "plugin file " + file + " crashed while loading (signal " +
                             std::to_string(WTERMSIG(status)) + ", " + strsignal(WTERMSIG(status)) +
                             ")";
        return;
    }
    json j = json::parse(probe.text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        probe.info.refusal = "plugin file " + file + " exited while loading (status " +
                             std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")";
        return;
    }
    probe.info = PluginInfo::from_json(j);
}

}  // namespace

std::vector<PluginInfo> probe_plugins(const std::vector<std::string>& files,
                                      std::chrono::milliseconds timeout) {
    std::vector<Probe> probes(files.size());
    for (size_t i = 0; i < files.size(); ++i) {
        probes[i].info.file = files[i];
        start_probe(probes[i]);
    }
    collect(probes, timeout);
    std::vector<PluginInfo> out;
    for (auto& p : probes) {
        finish_probe(p, timeout);
        out.push_back(p.info);
    }
    return out;
}

PluginInfo probe_plugin(const std::string& file, std::chrono::milliseconds timeout) {
    return probe_plugins({file}, timeout).front();
}

std::unique_ptr<plugin::Plugin> LoadedPlugin::create(const plugin::CreateContext& context) const {
    try {
        std::unique_ptr<plugin::Plugin> p = descriptor_->create(context);
        if (!p) throw plugin::Error("create returned nothing");
        return p;
    } catch (const std::exception& e) {
        throw plugin::Error("plugin '" + info_.id + "' failed to start: " + e.what());
    } catch (...) {
        throw plugin::Error("plugin '" + info_.id + "' failed to start: unknown exception");
    }
}

const LoadedPlugin& load_plugin(const std::string& file) {
    static std::mutex mutex;
    // Deliberately never destroyed: plugins stay resident for the life of the process.
    static auto* libraries = new std::vector<boost::dll::shared_library>();
    static auto* loaded = new std::map<std::string, std::unique_ptr<LoadedPlugin>>();
    std::lock_guard<std::mutex> lock(mutex);
    const std::string key = fs::weakly_canonical(file).string();
    if (auto it = loaded->find(key); it != loaded->end()) return *it->second;
    auto plugin = std::make_unique<LoadedPlugin>();
    plugin->info_.file = file;
    // The descriptor the probe loaded, checked again: the file checked is the file loaded.
    std::string trust;
    const int file_fd = trusted_plugin_fd(file, trust);
    if (file_fd < 0) throw plugin::Error(trust);
    try {
        libraries->emplace_back(descriptor_path(file_fd), boost::dll::load_mode::rtld_now |
                                                              boost::dll::load_mode::rtld_local);
    } catch (const std::exception& e) {
        throw plugin::Error("cannot load " + file + ": " + name_file(load_error(e), file_fd, file));
    }
    boost::dll::shared_library& lib = libraries->back();
    if (!lib.has(SIGHTLINE_PLUGIN_ENTRY_NAME))
        throw plugin::Error(
            file +
            " is not a Sightline plugin: it has no entry point " SIGHTLINE_PLUGIN_ENTRY_NAME);
    plugin->descriptor_ = &lib.get_alias<const sl_plugin_descriptor>(SIGHTLINE_PLUGIN_ENTRY_NAME);
    if (!check_descriptor(plugin->descriptor_, plugin->info_))
        throw plugin::Error(plugin->info_.refusal);
    return *loaded->emplace(key, std::move(plugin)).first->second;
}

}  // namespace sightline::core
