// Unit-test helpers for plugin authors (header-only; needs only the plugin API):
//  * TempDir: a fresh folder, removed with its contents at the end of the test;
//  * FakeHost: HostServices with a clock the test moves, a tenant list it sets, and every log
//    event recorded;
//  * load_plugin_module: the built .so loaded the way the host loads it, kept resident;
//  * reconfigure: a changed config handed to a plugin object the way the host does on SIGHUP.
// To run a file through the real host pipeline with your plugin, see harness.hpp instead.
#pragma once

#include <stdlib.h>

#include <atomic>
#include <boost/dll/shared_library.hpp>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "sightline/plugin/api.hpp"

namespace sightline::testing {

class TempDir {
public:
    TempDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "sightline-test-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary folder");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

struct LogEntry {
    plugin::LogLevel level;
    std::string event;
    plugin::LogFields fields;
};

// Thread-safe: plugins may log and ask for tenants from their own threads.
class FakeHost : public plugin::HostServices {
public:
    explicit FakeHost(std::vector<std::string> tenants = {"acme", "globex"},
                      int64_t now_us = 1'700'000'000'000'000)
        : now_us_(now_us), tenants_(std::move(tenants)) {}

    void log(plugin::LogLevel level, std::string_view event,
             const plugin::LogFields& fields) override {
        std::lock_guard<std::mutex> lock(mutex_);
        logs_.push_back({level, std::string(event), fields});
    }
    std::string state_dir() override { return state_dir_.path(); }
    int64_t now_us() override { return now_us_.load(); }
    std::vector<std::string> tenants() override {
        std::lock_guard<std::mutex> lock(mutex_);
        ++tenant_calls_;
        changed_.notify_all();
        return tenants_;
    }

    void advance_us(int64_t delta) { now_us_ += delta; }
    void set_tenants(std::vector<std::string> tenants) {
        std::lock_guard<std::mutex> lock(mutex_);
        tenants_ = std::move(tenants);
    }
    // Logged events, all or those named event.
    std::vector<LogEntry> logs(const std::string& event = "") const {
        std::lock_guard<std::mutex> lock(mutex_);
        std::vector<LogEntry> out;
        for (const auto& e : logs_)
            if (event.empty() || e.event == event) out.push_back(e);
        return out;
    }
    // The names of the logged events, in order.
    std::vector<std::string> events() const {
        std::vector<std::string> out;
        for (const auto& e : logs()) out.push_back(e.event);
        return out;
    }
    // Waits until tenants() was called n times in all (a transport asks about once a pass).
    bool wait_for_tenant_calls(size_t n, std::chrono::milliseconds timeout) const {
        std::unique_lock<std::mutex> lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return tenant_calls_ >= n; });
    }

private:
    TempDir state_dir_;
    std::atomic<int64_t> now_us_;
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::vector<std::string> tenants_;
    std::vector<LogEntry> logs_;
    size_t tenant_calls_ = 0;
};

// The descriptor of a built plugin, loaded with RTLD_NOW | RTLD_LOCAL as the host does. The
// library stays loaded until the process ends: an exception thrown by the plugin must not
// outlive the code that defines it.
inline const sl_plugin_descriptor& load_plugin_module(const std::string& path) {
    static std::mutex mutex;
    static auto* modules = new std::map<std::string, boost::dll::shared_library>();
    std::lock_guard<std::mutex> lock(mutex);
    auto it = modules->find(path);
    if (it == modules->end())
        it = modules
                 ->emplace(path,
                           boost::dll::shared_library(path, boost::dll::load_mode::rtld_now |
                                                                boost::dll::load_mode::rtld_local))
                 .first;
    return it->second.get_alias<const sl_plugin_descriptor>(SIGHTLINE_PLUGIN_ENTRY_NAME);
}

// As the host reconfigures a plugin (API 1.3): through plugin::Reconfigurable when the object
// implements it; false (restart needed) when it does not. Throws what reconfigure() throws.
inline bool reconfigure(plugin::Plugin& object, const std::string& config_json) {
    auto* reconfigurable = dynamic_cast<plugin::Reconfigurable*>(&object);
    return reconfigurable != nullptr && reconfigurable->reconfigure(config_json);
}

}  // namespace sightline::testing
