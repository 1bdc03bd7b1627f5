// Test doubles and helpers for driving the built intake-dir plugin through its descriptor.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sightline/plugin/api.hpp"
#include "sightline/plugin/transport.hpp"

namespace sightline::intake_dir::testing {

// A fresh folder under the system temp folder, removed with everything in it.
class TempDir {
  public:
    TempDir();
    ~TempDir();
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

// Host services with a clock the test moves by hand.
class FakeHost : public plugin::HostServices {
  public:
    explicit FakeHost(std::vector<std::string> tenants);

    void log(plugin::LogLevel level, std::string_view event,
             const plugin::LogFields& fields) override;
    std::string state_dir() override { return state_dir_.path(); }
    int64_t now_us() override { return now_us_.load(); }
    std::vector<std::string> tenants() override;

    void advance_us(int64_t delta) { now_us_ += delta; }
    // Waits until tenants() was called n times (about once per pass), at most timeout.
    bool wait_for_tenant_calls(size_t n, std::chrono::milliseconds timeout) const;
    void set_tenants(std::vector<std::string> tenants);
    std::vector<LogEntry> logs(const std::string& event = "") const;

  private:
    TempDir state_dir_;
    std::atomic<int64_t> now_us_;
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    size_t tenant_calls_ = 0;
    std::vector<std::string> tenants_;
    std::vector<LogEntry> logs_;
};

struct Submission {
    plugin::Upload upload;
    bool existed = false;  // the file was at upload.path during submit()
    int64_t bytes = -1;    // its size then
};

// Records submissions and answers with `respond` (loaded unless set).
class FakeSink : public plugin::UploadSink {
  public:
    plugin::UploadResult submit(const plugin::Upload& upload) override;

    void set_respond(std::function<plugin::UploadResult(const plugin::Upload&)> respond);
    std::vector<Submission> submissions() const;
    size_t count() const;
    // Waits until at least n submissions were made, at most timeout. True if they were.
    bool wait_for(size_t n, std::chrono::milliseconds timeout) const;

  private:
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::function<plugin::UploadResult(const plugin::Upload&)> respond_;
    std::vector<Submission> submissions_;
};

plugin::UploadResult answer(plugin::UploadOutcome outcome, std::string message = "");

// The descriptor of the built plugin. The library is loaded once and stays loaded, as the host
// keeps plugins resident, so no object can outlive its code.
const sl_plugin_descriptor& descriptor();

// Creates the plugin through its descriptor, as the host does.
std::unique_ptr<plugin::Transport> create_transport(plugin::HostServices& host,
                                                    const std::string& config_json);

void write_file(const std::string& path, const std::string& content);
bool exists(const std::string& path);  // without following a final symlink
// Sets a file's mtime to `seconds` after now (negative: in the past).
void set_mtime(const std::string& path, int64_t seconds_from_now);
std::vector<std::string> names(const std::vector<Submission>& submissions);

}  // namespace sightline::intake_dir::testing
