// What a reload changes, compared key by key: the keys that need a restart, and the accounts
// added, removed or changed (for the log line; the values themselves are never logged).
#pragma once

#include <string>
#include <vector>

#include "config.hpp"

namespace sightline::intake_ftps {

// The profile keys whose value differs and that only a restart can change: the listening socket,
// the passive port range (sessions hold ports of the pool) and the landing folder (queued
// uploads and partial files live there). Empty when the config can be applied live.
std::vector<std::string> restart_only_changes(const Config& running, const Config& next);

struct AccountChanges {
    std::vector<std::string> added;
    std::vector<std::string> removed;
    std::vector<std::string> changed;  // tenant, password or await_result
};

AccountChanges diff_accounts(const std::vector<Account>& running, const std::vector<Account>& next);

}  // namespace sightline::intake_ftps
