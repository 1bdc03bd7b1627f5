// The host's Prometheus metrics, counted from the event stream: uploads, bytes, loads and their
// durations, refusals, evaluations and their durations, bans, login failures, reports, API
// requests, queue depth, per tenant and plugin. The HTTP side serves scrape() as /metrics.
//
// Labels stay bounded: a tenant label only ever holds a tenant of the profile (anything else,
// such as a name an attacker typed, counts as "other"), and no label holds a customer or a file.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sightline/core/event_log.hpp"

namespace prometheus {
class Registry;
}

namespace sightline::core {

class Metrics : public EventSink {
public:
    explicit Metrics(const std::vector<std::string>& tenants);
    ~Metrics() override;
    Metrics(const Metrics&) = delete;
    Metrics& operator=(const Metrics&) = delete;

    // The profile's tenants after a reload; series of removed tenants stay until restart.
    void set_tenants(const std::vector<std::string>& tenants);
    // A tenant id as a label value: itself when the profile has it, else "other".
    std::string tenant_label(std::string_view tenant) const;

    void on_event(int64_t at_us, plugin::LogLevel level, std::string_view name,
                  const plugin::LogFields& fields) override;

    // The Prometheus text exposition format (version 0.0.4).
    std::string scrape() const;
    static constexpr const char* content_type = "text/plain; version=0.0.4; charset=utf-8";

    // For metrics of other parts (the HTTP server's own), exposed with these.
    prometheus::Registry& registry();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sightline::core
