// Passwords for the hashes the profile keeps (FTPS accounts, operators): read from standard input
// or generated, never written anywhere.
#pragma once

#include <string>

namespace sightline::cli {

// Reads one line; on a terminal with echo off, prompting on stderr (stdout carries the result).
std::string read_password(const char* prompt);
// 24 characters from an alphabet without look-alikes: about 138 bits.
std::string generate_password();

}  // namespace sightline::cli
