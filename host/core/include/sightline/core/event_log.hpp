// Structured event log: one line per event, as text or JSON lines, written through spdlog.
// Callers pass fields; nothing here knows about secrets, so callers never pass any.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "sightline/plugin/api.hpp"

namespace spdlog {
class logger;
}

namespace sightline::core {

// "debug", "info", "warn" or "error": the level as the log and the metrics name it.
const char* level_name(plugin::LogLevel level);

using Clock = std::function<int64_t()>;  // microseconds since the epoch, UTC

// An observer of every event (the audit log, the job history, the metrics). It sees events the
// log's level filter drops, and must not throw: a failing observer must not fail a load.
class EventSink {
public:
    virtual ~EventSink() = default;
    virtual void on_event(int64_t at_us, plugin::LogLevel level, std::string_view name,
                          const plugin::LogFields& fields) = 0;
};

class EventLog {
public:
    // format: "text" or "json"; level: debug|info|warn|error; file: "" for stderr.
    EventLog(const std::string& format, const std::string& level, const std::string& file);
    ~EventLog();

    void event(plugin::LogLevel level, std::string_view name, const plugin::LogFields& fields = {});
    void flush();

    // Sinks are called in the order added, on the thread that logs the event; thread-safe.
    void add_sink(std::shared_ptr<EventSink> sink);
    void remove_sink(const EventSink* sink);

    // Renders one line without writing it (tests, and the text form of CLI output).
    std::string render(plugin::LogLevel level, std::string_view name,
                       const plugin::LogFields& fields) const;

private:
    bool json_;
    plugin::LogLevel min_level_;
    std::shared_ptr<spdlog::logger> logger_;
    // Copied on change, so an event walks its snapshot without holding the lock (a sink may log).
    std::mutex sinks_mutex_;
    std::shared_ptr<const std::vector<std::shared_ptr<EventSink>>> sinks_;
};

}  // namespace sightline::core
