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
#include "sightline/testing/plugin_testing.hpp"

namespace sightline::intake_dir::testing {

using sightline::testing::LogEntry;
using sightline::testing::TempDir;

// The SDK's fake host, its clock starting at the real time: settle tests compare it with the
// mtimes of files they write.
class FakeHost : public sightline::testing::FakeHost {
public:
    explicit FakeHost(std::vector<std::string> tenants)
        : sightline::testing::FakeHost(std::move(tenants),
                                       std::chrono::duration_cast<std::chrono::microseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count()) {}
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
