#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <openssl/evp.h>

namespace sightline::core {

// Incremental SHA-256 over OpenSSL's EVP interface.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(const void* data, size_t size);
    std::string hex();  // finishes; lower-case hex

private:
    EVP_MD_CTX* ctx_;
};

std::string sha256_hex(std::string_view data);

}  // namespace sightline::core
