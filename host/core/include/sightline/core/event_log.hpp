// Structured event log: one line per event, as text or JSON lines, written through spdlog.
// Callers pass fields; nothing here knows about secrets, so callers never pass any.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "sightline/plugin/api.hpp"

namespace spdlog {
class logger;
}

namespace sightline::core {

class EventLog {
public:
    // format: "text" or "json"; level: debug|info|warn|error; file: "" for stderr.
    EventLog(const std::string& format, const std::string& level, const std::string& file);
    ~EventLog();

    void event(plugin::LogLevel level, std::string_view name, const plugin::LogFields& fields = {});
    void flush();

    // Renders one line without writing it (tests, and the text form of CLI output).
    std::string render(plugin::LogLevel level, std::string_view name,
                       const plugin::LogFields& fields) const;

private:
    bool json_;
    plugin::LogLevel min_level_;
    std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace sightline::core
