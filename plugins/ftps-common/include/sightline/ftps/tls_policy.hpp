// The TLS policy every FTPS component shares (server, relay client, archive client), so the
// rules live in one place: TLS 1.2 minimum, TLS 1.3 supported; TLS 1.2 suites are ECDHE with
// AES-GCM or ChaCha20-Poly1305 only; no compression, no renegotiation.
#pragma once

#include <openssl/ssl.h>

#include <string>
#include <vector>

namespace sightline::ftps {

// OpenSSL cipher strings (TLS 1.2) and ciphersuites (TLS 1.3).
extern const char* const kTls12Ciphers;
extern const char* const kTls13Suites;

// Applies the policy to a context. Throws std::runtime_error if OpenSSL refuses it.
void apply_server_policy(SSL_CTX* ctx);
void apply_client_policy(SSL_CTX* ctx);

// The last OpenSSL errors as one line ("" when none), and clears the queue.
std::string openssl_errors();

// Writes a self-signed certificate (EC P-256, SHA-256, one year, subjectAltName = names: IP
// addresses or DNS names) and its key (mode 0600) unless both files exist already. Returns true
// when it created them. Throws std::runtime_error on failure. For local and test profiles only.
bool ensure_self_signed(const std::string& cert_path, const std::string& key_path,
                        const std::vector<std::string>& names);

}  // namespace sightline::ftps
