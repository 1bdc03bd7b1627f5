#include "config_diff.hpp"

#include <map>

namespace sightline::intake_ftps {

std::vector<std::string> restart_only_changes(const Config& running, const Config& next) {
    std::vector<std::string> keys;
    if (running.listen_host != next.listen_host || running.listen_port != next.listen_port) {
        keys.push_back("listen");
    }
    if (running.passive_first != next.passive_first || running.passive_last != next.passive_last) {
        keys.push_back("passive_ports");
    }
    if (running.landing != next.landing) keys.push_back("landing");
    return keys;
}

AccountChanges diff_accounts(const std::vector<Account>& running,
                             const std::vector<Account>& next) {
    std::map<std::string, const Account*> before;
    for (const auto& account : running) before[account.user] = &account;
    AccountChanges changes;
    for (const auto& account : next) {
        auto it = before.find(account.user);
        if (it == before.end()) {
            changes.added.push_back(account.user);
            continue;
        }
        const Account& old = *it->second;
        if (old.tenant != account.tenant || old.password_hash != account.password_hash ||
            old.await_result != account.await_result) {
            changes.changed.push_back(account.user);
        }
        before.erase(it);
    }
    for (const auto& [user, account] : before) changes.removed.push_back(user);
    return changes;
}

}  // namespace sightline::intake_ftps
