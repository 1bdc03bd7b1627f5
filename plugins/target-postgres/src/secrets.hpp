// The tenant roles' passwords: generated here, kept in files only the service user can read.
#pragma once

#include <optional>
#include <string>

namespace sightline::target_pg {

// 256 random bits from the kernel, as 64 hex digits.
std::string random_password();

// Creates the folder (and parents) when missing and makes it 0700.
void ensure_private_dir(const std::string& dir);

// The file's content, or nullopt when it does not exist. Throws Error if it is readable by
// anyone but its owner (a leaked password must not be used silently).
std::optional<std::string> read_secret(const std::string& path);

// Writes the file with mode 0600, atomically (temporary file, fsync, rename).
void write_secret(const std::string& path, const std::string& value);

void remove_secret(const std::string& path);

}  // namespace sightline::target_pg
