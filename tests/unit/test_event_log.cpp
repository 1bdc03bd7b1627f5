// The structured event log: one line per event, JSON or text, levels filtered.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "sightline/core/event_log.hpp"

using sightline::core::EventLog;
using sightline::plugin::LogLevel;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string temp_log(const char* name) {
    return (std::filesystem::temp_directory_path() /
            (std::string("sightline-log-") + std::to_string(getpid()) + "-" + name))
        .string();
}

}  // namespace

TEST(EventLog, JsonLinesCarryEventLevelAndFields) {
    const std::string path = temp_log("json");
    {
        EventLog log("json", "info", path);
        log.event(LogLevel::info, "load.finished", {{"tenant", "acme"}, {"rows", "3"}});
        log.event(LogLevel::debug, "hidden", {});
        log.event(LogLevel::warn, "load.refused", {{"file", "a \"quoted\"\nname.csv"}});
    }
    std::istringstream lines(read_file(path));
    std::string line;
    std::vector<nlohmann::json> events;
    while (std::getline(lines, line)) events.push_back(nlohmann::json::parse(line));
    ASSERT_EQ(events.size(), 2u) << "debug must be filtered at level info";
    EXPECT_EQ(events[0]["event"], "load.finished");
    EXPECT_EQ(events[0]["level"], "info");
    EXPECT_EQ(events[0]["tenant"], "acme");
    EXPECT_EQ(events[0]["rows"], "3");
    EXPECT_EQ(events[0]["ts"].get<std::string>().back(), 'Z');
    EXPECT_EQ(events[1]["file"], "a \"quoted\"\nname.csv");
    std::filesystem::remove(path);
}

TEST(EventLog, TextQuotesValuesThatNeedIt) {
    EventLog log("text", "info", temp_log("text"));
    const std::string line =
        log.render(LogLevel::warn, "upload.seen", {{"file", "my file.csv"}, {"tenant", "acme"}});
    EXPECT_NE(line.find(" warn upload.seen file=\"my file.csv\" tenant=acme"), std::string::npos)
        << line;
    EXPECT_EQ(line.find('\n'), std::string::npos);
    const std::string injected = log.render(LogLevel::info, "x", {{"file", "a\nfake=line"}});
    EXPECT_EQ(injected.find('\n'), std::string::npos) << "a value must not start a new log line";
}
