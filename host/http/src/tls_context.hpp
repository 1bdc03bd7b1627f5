// The listener's TLS context, built from a profile's ApiSettings, and what the listener reads
// from a peer's certificate. Kept apart from the connection handling so that a reload (SIGHUP)
// can build a new context beside the one in use.
#pragma once

#include <openssl/x509.h>

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "sightline/core/profile.hpp"

namespace sightline::http::detail {

// TLS 1.2+ with forward-secret AEAD suites; with settings.client_ca, mutual TLS: a client
// certificate is required and verified against that CA (OpenSSL checks the chain and the
// validity dates). Throws std::runtime_error naming the file when one cannot be used.
// `section` prefixes the messages ("api", "reports").
std::shared_ptr<boost::asio::ssl::context> make_server_context(const core::ApiSettings& settings,
                                                               const std::string& section);

// A certificate's subject as X509_NAME_print_ex(..., XN_FLAG_RFC2253) prints it: the form
// trusted_hosts are written in ("CN=bi,O=Example").
std::string rfc2253_subject(X509* certificate);

// Why a client certificate was refused, from OpenSSL's verification error: a short stable code
// for the log ("unknown_ca", "expired", "not_yet_valid", "revoked", "invalid_certificate").
std::string verify_error_code(int x509_error);

}  // namespace sightline::http::detail
