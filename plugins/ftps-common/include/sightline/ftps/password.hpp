// Password hashes for FTPS accounts. The profile holds only the encoded hash that
// `sightline tenant passwd` prints; the intake verifies logins against it.
//
// Encoding (one line, no secrets):  $scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt, base64>$<key, base64>
// scrypt (RFC 7914) through OpenSSL; the key is 32 bytes, the salt 16 random bytes.
#pragma once

#include <string>
#include <string_view>

namespace sightline::ftps {

// New hashes get N = 2^14, r = 8, p = 5: one of OWASP's equivalent scrypt settings (2^17/8/1,
// 2^16/8/2, 2^15/8/3, 2^14/8/5, 2^13/8/10), the one with the least CPU per check among those that
// keep 16 MiB per verification (docs/ftps.md, "Password cost", has the figures). Hashes made at
// another cost still verify: the cost is part of the encoded hash.
struct ScryptCost {
    int log2_n = 14;  // N = 16384: 16 MiB of memory per verification with r = 8
    int r = 8;
    int p = 5;  // five passes over that memory, one after the other (OpenSSL runs them in turn)
};

// A fresh hash with a random salt.
std::string hash_password(std::string_view password, ScryptCost cost = {});

// True when password matches. Compares in constant time. Throws std::invalid_argument when the
// encoded hash is malformed (check profiles with check_password_hash first).
bool verify_password(std::string_view password, std::string_view encoded);

// "" when encoded is a well-formed hash this build can verify, else why not (for profile errors).
std::string check_password_hash(std::string_view encoded);

}  // namespace sightline::ftps
