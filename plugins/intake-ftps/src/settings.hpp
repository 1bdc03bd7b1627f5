// The part of the configuration that reconfigure() may replace while sessions run, as one
// immutable snapshot. Readers take a shared_ptr and keep it for as long as they need a
// consistent view (a session: one command; a TLS session: its whole control connection), so a
// reload never changes anything under a reader and an old snapshot lives until its last reader
// drops it.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "config.hpp"
#include "tls_context.hpp"

namespace sightline::intake_ftps {

struct Settings {
    Config config;
    std::vector<std::string> tenants;  // the profile's, as of start() or the last reload
    // New control connections handshake with this; a session keeps the one it started with,
    // because its data connections must resume its TLS session, which only that context knows.
    // Null before start().
    std::shared_ptr<const TlsContext> tls;
};

class LiveSettings {
public:
    explicit LiveSettings(std::shared_ptr<const Settings> initial) : current_(std::move(initial)) {}

    std::shared_ptr<const Settings> get() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return current_;
    }
    void set(std::shared_ptr<const Settings> next) {
        std::lock_guard<std::mutex> lock(mutex_);
        current_.swap(next);
        // next (the old snapshot) is released outside the lock when it was the last reference.
    }

private:
    mutable std::mutex mutex_;
    std::shared_ptr<const Settings> current_;
};

}  // namespace sightline::intake_ftps
