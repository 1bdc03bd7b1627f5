// Status notes: the short text a tenant finds in status/ after each upload is processed (or
// expired), named so that a plain LIST already tells the outcome.
#pragma once

#include <cstdint>
#include <string>

#include "landing.hpp"

namespace sightline::intake_ftps {

// "<YYYYmmddTHHMMSSZ>-<name>.<outcome>.txt", the upload's name shortened (at a UTF-8 boundary)
// so the whole stays within 255 bytes.
std::string note_name(int64_t now_us, const std::string& upload_name, const std::string& outcome);

// The message on one line (CR, LF and other controls become spaces), at most max_bytes.
std::string one_line(const std::string& text, size_t max_bytes = 400);

// Sets a file's times to the host's clock: retention ages are measured on that clock, so files
// this server writes must be dated by it too (tests move it).
void stamp_mtime(int fd, int64_t now_us);

// Writes the note into the tenant's status/ folder; returns its name, "" on failure (errno).
std::string write_note(const Landing& landing, const std::string& tenant, int64_t now_us,
                       const std::string& upload_name, const std::string& outcome,
                       const std::string& message);

}  // namespace sightline::intake_ftps
