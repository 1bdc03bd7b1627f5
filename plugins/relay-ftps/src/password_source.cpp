#include "password_source.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "sightline/plugin/api.hpp"

namespace sightline::ftps_client {

using plugin::Error;

std::string read_password(const std::string& password_file, const std::string& password_env) {
    if (password_file.empty() == password_env.empty()) {
        throw Error("give exactly one of 'password_file' and 'password_env'");
    }
    std::string password;
    if (!password_file.empty()) {
        struct stat st {};
        if (::stat(password_file.c_str(), &st) != 0) {
            throw Error("password_file " + password_file + " cannot be read");
        }
        // A secret others can read is no longer a secret; one others can write can be swapped.
        if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
            throw Error("password_file " + password_file +
                        " is accessible by group or others: chmod 0600 it");
        }
        std::ifstream in(password_file, std::ios::binary);
        if (!in || !std::getline(in, password)) {
            throw Error("password_file " + password_file + " cannot be read or is empty");
        }
    } else {
        const char* value = std::getenv(password_env.c_str());
        if (value == nullptr) throw Error("environment variable " + password_env + " is not set");
        password = value;
    }
    while (!password.empty() && (password.back() == '\r' || password.back() == '\n')) {
        password.pop_back();
    }
    if (password.empty()) throw Error("the FTPS password is empty");
    // It goes into USER/PASS lines: a line break would inject a command.
    if (password.find_first_of(std::string("\r\n\0", 3)) != std::string::npos) {
        throw Error("the FTPS password contains a line break or NUL");
    }
    return password;
}

}  // namespace sightline::ftps_client
