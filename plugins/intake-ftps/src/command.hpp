// The control connection's command reader: TELNET IAC stripping, line framing, length limit.
#pragma once

#include <cstddef>
#include <string>

namespace sightline::intake_ftps {

// Commands longer than this (without the line end) are refused (RFC 959 leaves it open; 512 is
// what common servers use and far above any legitimate path this server accepts).
constexpr size_t kMaxCommandBytes = 512;

class LineReader {
public:
    enum class Status {
        none,      // no complete line buffered
        line,      // `line` holds one command, without its line end
        too_long,  // a line exceeded kMaxCommandBytes; its bytes up to the next LF are dropped
        bad,       // the line held NUL or a bare CR: refused whole, never split into two commands
    };

    // Adds received bytes; IAC sequences are removed here so they cannot split a command.
    void feed(const char* data, size_t size);
    Status next(std::string& line);
    // Bytes received after the last returned line (pipelined input).
    size_t pending() const { return buffer_.size() + (discarding_ ? 1 : 0); }

private:
    std::string buffer_;
    int iac_state_ = 0;  // 0 plain, 1 after IAC, 2 after IAC WILL/WONT/DO/DONT
    bool discarding_ = false;
};

struct Command {
    std::string verb;  // upper case
    std::string arg;   // after the first space, verbatim
};

// Splits a line into verb and argument. False when the verb is not 3-4 ASCII letters.
bool parse_command(const std::string& line, Command& command);

}  // namespace sightline::intake_ftps
