// The people who operate a deployment: console logins and who is disabled (docs/operations.md).
// Accounts come from the profile's `operators:`; `sightline operator disable` adds a name to a
// list in the state folder that every check reads, so a disabled operator is locked out at once
// (no reload, no restart) and stays locked out until enabled again.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sightline/core/profile.hpp"

namespace sightline::core {

class OperatorRegistry {
public:
    // verify(password, hash): the profile's scrypt check (sightline::ftps::verify_password in the
    // host), injected so that the core library needs no FTPS code.
    using Verifier = std::function<bool(const std::string& password, const std::string& hash)>;

    OperatorRegistry(std::string state_dir, std::vector<OperatorAccount> accounts, Verifier verify);

    // A reload: the new accounts apply to the next check.
    void set_accounts(std::vector<OperatorAccount> accounts);

    // The operator's name when the password matches an active operator; nullopt for an unknown
    // name, a disabled operator or a wrong password (the caller cannot tell which).
    std::optional<std::string> authenticate_password(const std::string& name,
                                                     const std::string& password) const;
    // The operator whose certificate_subject this verified client certificate subject is.
    std::optional<std::string> authenticate_certificate(const std::string& subject) const;
    // False for an unknown operator and once disabled (in the profile or by the CLI).
    bool active(const std::string& name) const;
    // Whether the profile has an operator of this name, active or not (the console logs the
    // name of a failed login only then: a name that is no operator is often a mistyped
    // password).
    bool exists(const std::string& name) const;

    // Disables or enables an operator in the state folder's list; by and reason are recorded.
    // Throws std::runtime_error when the list cannot be written.
    void disable(const std::string& name, const std::string& by, const std::string& reason);
    void enable(const std::string& name);
    // Names disabled by the CLI (not the profile's `disabled: true`).
    std::vector<std::string> disabled_names() const;

    // <state_dir>/operators/disabled.json
    static std::string disabled_list_path(const std::string& state_dir);

private:
    bool disabled_in_state(const std::string& name) const;
    std::string state_dir_;
    mutable std::mutex mutex_;
    std::vector<OperatorAccount> accounts_;
    Verifier verify_;
};

}  // namespace sightline::core
