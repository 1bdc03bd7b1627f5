#include "sightline/ftps/tls_policy.hpp"

#include <openssl/err.h>

#include <stdexcept>

namespace sightline::ftps {

// Mozilla's "intermediate" TLS 1.2 suites: forward secrecy and AEAD only, as the issue asks
// (ECDHE with AES-GCM or ChaCha20-Poly1305). TLS 1.3's suites are all AEAD.
const char* const kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
const char* const kTls13Suites =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

std::string openssl_errors() {
    std::string out;
    while (const unsigned long e = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(e, buffer, sizeof buffer);
        if (!out.empty()) out += "; ";
        out += buffer;
    }
    return out;
}

namespace {

void apply_common(SSL_CTX* ctx) {
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
        SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1 ||
        SSL_CTX_set_ciphersuites(ctx, kTls13Suites) != 1)
        throw std::runtime_error("OpenSSL refused the TLS policy: " + openssl_errors());
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
}

}  // namespace

void apply_server_policy(SSL_CTX* ctx) {
    apply_common(ctx);
    SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
}

void apply_client_policy(SSL_CTX* ctx) { apply_common(ctx); }

}  // namespace sightline::ftps
