// Incremental SHA-256 over OpenSSL's EVP interface (the system's libcrypto, as the host).
#pragma once

#include <openssl/evp.h>

#include <cstddef>
#include <string>

namespace sightline::ftps_client {

class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(const void* data, size_t size);
    // Finishes the digest: lower-case hex. Call once.
    std::string hex();

private:
    EVP_MD_CTX* ctx_;
};

// True for 64 lower-case hex digits.
bool is_sha256_hex(const std::string& text);

}  // namespace sightline::ftps_client
