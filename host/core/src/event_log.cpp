#include "sightline/core/event_log.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>

#include "sightline/core/timestamp.hpp"

namespace sightline::core {

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

namespace {

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

void EventLog::add_sink(std::shared_ptr<EventSink> sink) {
    std::lock_guard<std::mutex> lock(sinks_mutex_);
    auto next = sinks_ ? std::make_shared<std::vector<std::shared_ptr<EventSink>>>(*sinks_)
                       : std::make_shared<std::vector<std::shared_ptr<EventSink>>>();
    next->push_back(std::move(sink));
    sinks_ = std::move(next);
}

void EventLog::remove_sink(const EventSink* sink) {
    std::lock_guard<std::mutex> lock(sinks_mutex_);
    if (!sinks_) return;
    auto next = std::make_shared<std::vector<std::shared_ptr<EventSink>>>();
    for (const auto& s : *sinks_)
        if (s.get() != sink) next->push_back(s);
    sinks_ = std::move(next);
}

void EventLog::event(plugin::LogLevel level, std::string_view name,
                     const plugin::LogFields& fields) {
    std::shared_ptr<const std::vector<std::shared_ptr<EventSink>>> sinks;
    {
        std::lock_guard<std::mutex> lock(sinks_mutex_);
        sinks = sinks_;
    }
    if (sinks && !sinks->empty()) {
        const int64_t at = now_us();
        for (const auto& sink : *sinks) {
            try {
                sink->on_event(at, level, name, fields);
            } catch (const std::exception& e) {
                // Said on the log itself, never through the sinks (that could loop). Not
                // "event": that key is the line's own name (a full disk's job history failure
                // read as "load.failed").
                logger_->error(render(plugin::LogLevel::error, "log.sink_failed",
                                      {{"failed_event", std::string(name)}, {"reason", e.what()}}));
            }
        }
    }
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
