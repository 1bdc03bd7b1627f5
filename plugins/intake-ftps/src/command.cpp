#include "command.hpp"

#include <cctype>

namespace sightline::intake_ftps {

namespace {
constexpr unsigned char kIac = 255;
}

void LineReader::feed(const char* data, size_t size) {
    for (size_t i = 0; i < size; ++i) {
        const auto c = static_cast<unsigned char>(data[i]);
        if (iac_state_ == 1) {
            // IAC IAC is a literal 0xFF; WILL/WONT/DO/DONT (251-254) carry one option byte;
            // any other command (IP, DM, ...) is a single byte and is dropped.
            iac_state_ = 0;
            if (c == kIac) {
                buffer_.push_back(static_cast<char>(c));
            } else if (c >= 251 && c <= 254) {
                iac_state_ = 2;
            }
            continue;
        }
        if (iac_state_ == 2) {
            iac_state_ = 0;
            continue;
        }
        if (c == kIac) {
            iac_state_ = 1;
            continue;
        }
        if (discarding_) {
            if (c == '\n') discarding_ = false;
            continue;
        }
        buffer_.push_back(static_cast<char>(c));
    }
}

LineReader::Status LineReader::next(std::string& line) {
    const auto lf = buffer_.find('\n');
    if (lf == std::string::npos) {
        if (buffer_.size() > kMaxCommandBytes + 1) {
            buffer_.clear();
            discarding_ = true;
            return Status::too_long;
        }
        return Status::none;
    }
    line.assign(buffer_, 0, lf);
    buffer_.erase(0, lf + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() > kMaxCommandBytes) {
        line.clear();
        return Status::too_long;
    }
    // A CR left inside is a bare CR: treating it as a separator would let one line carry two
    // commands past a filter that only looked at the first.
    if (line.find('\0') != std::string::npos || line.find('\r') != std::string::npos) {
        line.clear();
        return Status::bad;
    }
    return Status::line;
}

bool parse_command(const std::string& line, Command& command) {
    const auto space = line.find(' ');
    std::string verb = line.substr(0, space);
    if (verb.size() < 3 || verb.size() > 4) return false;
    for (char& c : verb) {
        if (!std::isalpha(static_cast<unsigned char>(c))) return false;
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    command.verb = verb;
    command.arg = space == std::string::npos ? "" : line.substr(space + 1);
    return true;
}

}  // namespace sightline::intake_ftps
