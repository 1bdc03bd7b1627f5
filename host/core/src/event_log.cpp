#include "sightline/core/event_log.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>

#include "sightline/core/timestamp.hpp"

namespace sightline::core {

namespace {

const char* level_name(plugin::LogLevel level) {
    switch (level) {
        case plugin::LogLevel::debug:
            return "debug";
        case plugin::LogLevel::info:
            return "info";
        case plugin::LogLevel::warn:
            return "warn";
        case plugin::LogLevel::error:
            return "error";
    }
    return "info";
}

plugin::LogLevel parse_level(const std::string& s) {
    if (s == "debug") return plugin::LogLevel::debug;
    if (s == "warn") return plugin::LogLevel::warn;
    if (s == "error") return plugin::LogLevel::error;
    return plugin::LogLevel::info;
}

bool needs_quotes(const std::string& v) {
    if (v.empty()) return true;
    for (char c : v)
        if (c == ' ' || c == '"' || c == '=' || c == '\n' || c == '\r' || c == '\t') return true;
    return false;
}

int64_t now_us() {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

EventLog::EventLog(const std::string& format, const std::string& level, const std::string& file)
    : json_(format == "json"), min_level_(parse_level(level)) {
    static std::atomic<int> counter{0};
    const std::string name = "sightline-" + std::to_string(counter++);
    if (file.empty())
        logger_ = std::make_shared<spdlog::logger>(
            name, std::make_shared<spdlog::sinks::stderr_sink_mt>());
    else
        logger_ = std::make_shared<spdlog::logger>(
            name, std::make_shared<spdlog::sinks::basic_file_sink_mt>(file));
    logger_->set_pattern("%v");  // lines are rendered here, so text and JSON stay one format each
    logger_->set_level(spdlog::level::trace);
    // Events are few and each may be the last before a crash: every line is flushed.
    logger_->flush_on(spdlog::level::trace);
}

EventLog::~EventLog() { flush(); }

std::string EventLog::render(plugin::LogLevel level, std::string_view name,
                             const plugin::LogFields& fields) const {
    const std::string ts = format_timestamp(now_us() / 1000 * 1000);
    if (json_) {
        nlohmann::json j = {{"ts", ts}, {"level", level_name(level)}, {"event", std::string(name)}};
        for (const auto& [k, v] : fields) j[k] = v;
        return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    std::string line = ts + " " + level_name(level) + " " + std::string(name);
    for (const auto& [k, v] : fields) {
        line += " " + k + "=";
        line += needs_quotes(v) ? nlohmann::json(v).dump(-1, ' ', false,
                                                         nlohmann::json::error_handler_t::replace)
                                : v;
    }
    return line;
}

void EventLog::event(plugin::LogLevel level, std::string_view name,
                     const plugin::LogFields& fields) {
    if (level < min_level_) return;
    const std::string line = render(level, name, fields);
    switch (level) {
        case plugin::LogLevel::debug:
            logger_->debug(line);
            break;
        case plugin::LogLevel::info:
            logger_->info(line);
            break;
        case plugin::LogLevel::warn:
            logger_->warn(line);
            break;
        case plugin::LogLevel::error:
            logger_->error(line);
            break;
    }
}

void EventLog::flush() { logger_->flush(); }

}  // namespace sightline::core
