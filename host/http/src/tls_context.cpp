#include "tls_context.hpp"

#include <openssl/bio.h>
#include <openssl/ssl.h>

#include <stdexcept>

namespace sightline::http::detail {

namespace ssl = boost::asio::ssl;

namespace {

// Mozilla's "intermediate" TLS 1.2 suites (forward secrecy, AEAD only); TLS 1.3 uses OpenSSL's.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

void require_client_certificates(SSL_CTX* ctx, const core::ApiSettings& settings,
                                 const std::string& section) {
    if (SSL_CTX_load_verify_locations(ctx, settings.client_ca.c_str(), nullptr) != 1)
        throw std::runtime_error(section + ".client_ca: cannot use '" + settings.client_ca +
                                 "' as a PEM CA certificate file");
    // Tells clients which CA to pick their certificate from.
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(settings.client_ca.c_str());
    if (!names)
        throw std::runtime_error(section + ".client_ca: no certificate in '" + settings.client_ca +
                                 "'");
    SSL_CTX_set_client_CA_list(ctx, names);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    // Every connection is verified in full: a resumed session would skip the certificate's
    // checks (expiry, a CA removed by a reload).
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    SSL_CTX_set_num_tickets(ctx, 0);
}

}  // namespace

std::shared_ptr<ssl::context> make_server_context(const core::ApiSettings& settings,
                                                  const std::string& section) {
    auto tls = std::make_shared<ssl::context>(ssl::context::tls_server);
    tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                     ssl::context::single_dh_use | SSL_OP_NO_RENEGOTIATION |
                     SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
    SSL_CTX* ctx = tls->native_handle();
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    if (SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1)
        throw std::runtime_error(section + ".tls: OpenSSL refused the cipher list");
    try {
        tls->use_certificate_chain_file(settings.tls_cert);
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error(section + ".tls.cert: cannot use '" + settings.tls_cert +
                                 "' as a PEM certificate chain: " + e.code().message());
    }
    try {
        tls->use_private_key_file(settings.tls_key, ssl::context::pem);
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error(section + ".tls.key: cannot use '" + settings.tls_key +
                                 "' as a PEM private key: " + e.code().message());
    }
    if (SSL_CTX_check_private_key(ctx) != 1)
        throw std::runtime_error(section + ".tls.key: '" + settings.tls_key +
                                 "' does not match the certificate '" + settings.tls_cert + "'");
    if (!settings.client_ca.empty()) require_client_certificates(ctx, settings, section);
    return tls;
}

std::string rfc2253_subject(X509* certificate) {
    if (!certificate) return "";
    BIO* bio = BIO_new(BIO_s_mem());
    if (!bio) return "";
    X509_NAME_print_ex(bio, X509_get_subject_name(certificate), 0, XN_FLAG_RFC2253);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string out(data ? data : "", n > 0 ? static_cast<size_t>(n) : 0);
    BIO_free(bio);
    return out;
}

std::string verify_error_code(int x509_error) {
    switch (x509_error) {
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
        case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        case X509_V_ERR_CERT_SIGNATURE_FAILURE:
            return "unknown_ca";
        case X509_V_ERR_CERT_HAS_EXPIRED:
            return "expired";
        case X509_V_ERR_CERT_NOT_YET_VALID:
            return "not_yet_valid";
        case X509_V_ERR_CERT_REVOKED:
            return "revoked";
        default:
            return "invalid_certificate";
    }
}

}  // namespace sightline::http::detail
