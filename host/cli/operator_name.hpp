// Who runs a command that changes data: the operating system's user, not a claim on the
// command line ($USER can be set to anything).
#pragma once

#include <pwd.h>
#include <unistd.h>

#include <string>

namespace sightline::cli {

inline std::string operator_name() {
    const uid_t uid = geteuid();
    if (const passwd* pw = getpwuid(uid)) return pw->pw_name;
    return "uid " + std::to_string(uid);
}

}  // namespace sightline::cli
