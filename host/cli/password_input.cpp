#include "password_input.hpp"

#include <openssl/rand.h>
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <stdexcept>

namespace sightline::cli {

// Reads one line; on a terminal with echo off, prompting on stderr (stdout carries the result).
std::string read_password(const char* prompt) {
    const bool tty = isatty(STDIN_FILENO);
    termios saved{};
    if (tty) {
        std::cerr << prompt << std::flush;
        tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    std::string line;
    std::getline(std::cin, line);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        std::cerr << "\n";
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

// 24 characters from an alphabet without look-alikes: about 138 bits.
std::string generate_password() {
    static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    constexpr unsigned n = sizeof alphabet - 1;
    std::string out;
    while (out.size() < 24) {
        unsigned char b = 0;
        if (RAND_bytes(&b, 1) != 1) throw std::runtime_error("the random number generator failed");
        if (b < 256 - 256 % n) out += alphabet[b % n];  // no modulo bias
    }
    return out;
}

}  // namespace sightline::cli
