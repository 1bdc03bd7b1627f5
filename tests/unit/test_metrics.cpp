// The metrics: events counted into Prometheus series, read back by parsing the scrape text;
// tenant labels bounded to the profile's tenants.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "sightline/core/metrics.hpp"

using sightline::core::Metrics;
using sightline::plugin::LogLevel;

namespace {

// "name{labels}" -> value, from the text format (comments skipped).
std::map<std::string, double> parse(const std::string& text) {
    std::map<std::string, double> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        const auto space = line.rfind(' ');
        EXPECT_NE(space, std::string::npos) << line;
        out[line.substr(0, space)] = std::stod(line.substr(space + 1));
    }
    return out;
}

TEST(Metrics, CountsTheEventStream) {
    Metrics m({"demo", "shop"});
    m.on_event(
        0, LogLevel::info, "intake_ftps.upload",
        {{"tenant", "demo"}, {"bytes", "100"}, {"plugin", "intake-ftps"}, {"queue_depth", "3"}});
    m.on_event(0, LogLevel::info, "intake_ftps.processed",
               {{"tenant", "demo"}, {"plugin", "intake-ftps"}, {"queue_depth", "2"}});
    m.on_event(0, LogLevel::info, "load.finished",
               {{"tenant", "demo"}, {"rows", "5"}, {"bytes", "100"}, {"seconds", "0.3"}});
    m.on_event(0, LogLevel::warn, "load.refused",
               {{"tenant", "demo"}, {"reason", "2 format errors"}, {"seconds", "0.1"}});
    m.on_event(0, LogLevel::warn, "load.refused",
               {{"tenant", "demo"}, {"reason", "personal data"}, {"seconds", "0.1"}});
    m.on_event(0, LogLevel::info, "segment.evaluated",
               {{"tenant", "shop"},
                {"evaluator", "evaluator-sql"},
                {"cached", "false"},
                {"duration_us", "20000"},
                {"customers", "9"}});
    m.on_event(0, LogLevel::warn, "intake_ftps.banned", {{"plugin", "intake-ftps"}});
    m.on_event(0, LogLevel::warn, "intake_ftps.login_failed", {{"plugin", "intake-ftps"}});
    m.on_event(0, LogLevel::info, "api.request",
               {{"route", "/v1/tenants/{tenant}/segments"}, {"status", "200"}});
    const auto s = parse(m.scrape());
    EXPECT_EQ(s.at("sightline_uploads_total{plugin=\"intake-ftps\",tenant=\"demo\"}"), 1);
    EXPECT_EQ(s.at("sightline_upload_bytes_total{plugin=\"intake-ftps\",tenant=\"demo\"}"), 100);
    EXPECT_EQ(s.at("sightline_upload_queue_depth{plugin=\"intake-ftps\"}"), 2);
    EXPECT_EQ(s.at("sightline_loads_total{result=\"loaded\",tenant=\"demo\"}"), 1);
    EXPECT_EQ(s.at("sightline_loads_total{result=\"refused\",tenant=\"demo\"}"), 2);
    EXPECT_EQ(s.at("sightline_load_rows_total{tenant=\"demo\"}"), 5);
    EXPECT_EQ(s.at("sightline_load_duration_seconds_count"), 3);
    EXPECT_EQ(s.at("sightline_load_duration_seconds_bucket{le=\"0.5\"}"), 3);
    EXPECT_EQ(s.at("sightline_load_duration_seconds_bucket{le=\"0.1\"}"), 2);
    EXPECT_DOUBLE_EQ(s.at("sightline_load_seconds_total{tenant=\"demo\"}"), 0.5);
    EXPECT_EQ(s.at("sightline_refusals_total{reason=\"format\",tenant=\"demo\"}"), 1);
    EXPECT_EQ(s.at("sightline_refusals_total{reason=\"personal_data\",tenant=\"demo\"}"), 1);
    EXPECT_EQ(s.at("sightline_segment_evaluations_total{cached=\"false\",evaluator=\"evaluator-"
                   "sql\",tenant=\"shop\"}"),
              1);
    EXPECT_DOUBLE_EQ(
        s.at("sightline_segment_evaluation_duration_seconds_sum{evaluator=\"evaluator-sql\"}"),
        0.02);
    EXPECT_DOUBLE_EQ(s.at("sightline_segment_evaluation_seconds_total{tenant=\"shop\"}"), 0.02);
    EXPECT_EQ(s.at("sightline_bans_total{plugin=\"intake-ftps\"}"), 1);
    EXPECT_EQ(s.at("sightline_login_failures_total{plugin=\"intake-ftps\"}"), 1);
    EXPECT_EQ(s.at("sightline_api_requests_total{code=\"2xx\",route=\"/v1/tenants/{tenant}/"
                   "segments\"}"),
              1);
    EXPECT_EQ(s.at("sightline_up"), 1);
    EXPECT_EQ(s.count("sightline_log_events_total{level=\"warn\"}"), 1u);
}

TEST(Metrics, UnknownTenantsShareOneLabel) {
    Metrics m({"demo"});
    for (int i = 0; i < 50; ++i)
        m.on_event(0, LogLevel::warn, "load.refused",
                   {{"tenant", "attacker" + std::to_string(i)}, {"reason", "unknown tenant"}});
    const std::string text = m.scrape();
    EXPECT_EQ(text.find("attacker"), std::string::npos);
    const auto s = parse(text);
    EXPECT_EQ(s.at("sightline_refusals_total{reason=\"unknown_tenant\",tenant=\"other\"}"), 50);
    EXPECT_EQ(m.tenant_label("demo"), "demo");
    m.set_tenants({"demo", "attacker1"});
    EXPECT_EQ(m.tenant_label("attacker1"), "attacker1") << "a tenant added by a reload";
}

TEST(Metrics, ApiRoutesAreBounded) {
    Metrics m({});
    for (int i = 0; i < 200; ++i)
        m.on_event(0, LogLevel::info, "api.request",
                   {{"route", "/r" + std::to_string(i)}, {"status", "404"}});
    const auto s = parse(m.scrape());
    size_t routes = 0;
    for (const auto& [k, v] : s)
        if (k.rfind("sightline_api_requests_total{", 0) == 0) ++routes;
    EXPECT_LE(routes, 65u);
}

TEST(Metrics, BuildInfoNamesTheVersion) {
    Metrics m({});
    const std::string text = m.scrape();
    EXPECT_NE(text.find("# TYPE sightline_build_info gauge"), std::string::npos);
    EXPECT_NE(text.find(std::string("version=\"") + SIGHTLINE_VERSION + "\""), std::string::npos);
}

}  // namespace
