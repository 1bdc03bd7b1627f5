// Small helpers the session's command handlers share.
#pragma once

#include <cstdint>
#include <string>

#include "landing.hpp"
#include "virtual_path.hpp"

namespace sightline::intake_ftps {

// gmtime formatted with strftime: MDTM/MLSD facts and LIST dates are UTC.
std::string time_text(int64_t seconds, const char* format);
// The tenant sub-folder a place lives in.
Sub sub_of(Place place);
std::string hex(const unsigned char* data, size_t size);
// SHA-256 of a plain file in dir_fd (never through a symlink); false when it cannot be read.
bool file_sha256(int dir_fd, const std::string& name, std::string& digest_hex, int64_t& bytes);
// RFC 959 quoting for 257 replies: embedded quotes doubled.
std::string quote_path(const std::string& path);

}  // namespace sightline::intake_ftps
