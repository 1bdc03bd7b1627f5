#include "tls_context.hpp"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include <cstring>
#include <mutex>

#include "config.hpp"
#include "sightline/ftps/tls_policy.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::intake_ftps {

namespace {

int binding_index() {
    static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

int generate_ticket(SSL* ssl, void*) {
    TicketBinding* binding = TlsContext::binding_of(ssl);
    // Data connections issue no tickets (num_tickets 0, and TLS 1.2 renewals are refused by
    // the decrypt callback); should one still be made, it carries no token and is never useful.
    if (binding == nullptr || binding->data) return 1;
    SSL_SESSION* session = SSL_get0_session(ssl);
    if (session == nullptr) return 0;
    return SSL_SESSION_set1_ticket_appdata(session, binding->token.data(), binding->token.size());
}

SSL_TICKET_RETURN decrypt_ticket(SSL* ssl, SSL_SESSION* session, const unsigned char*, size_t,
                                 SSL_TICKET_STATUS status, void*) {
    TicketBinding* binding = TlsContext::binding_of(ssl);
    const bool decrypted = status == SSL_TICKET_SUCCESS || status == SSL_TICKET_SUCCESS_RENEW;
    // Control connections always start afresh, so each one gets tickets of its own.
    if (binding == nullptr || !binding->data) return SSL_TICKET_RETURN_IGNORE_RENEW;
    if (!decrypted || session == nullptr) return SSL_TICKET_RETURN_IGNORE;
    void* data = nullptr;
    size_t size = 0;
    if (SSL_SESSION_get0_ticket_appdata(session, &data, &size) != 1 ||
        size != binding->token.size() || CRYPTO_memcmp(data, binding->token.data(), size) != 0) {
        return SSL_TICKET_RETURN_IGNORE;
    }
    return SSL_TICKET_RETURN_USE;
}

// A client that sends ALPN must offer "ftp" (RFC 9325 / ALPACA: stops a TLS connection meant
// for another protocol being redirected to this server).
int select_alpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
                unsigned int inlen, void*) {
    for (unsigned int i = 0; i < inlen;) {
        const unsigned int len = in[i];
        if (i + 1 + len > inlen) break;
        if (len == 3 && std::memcmp(in + i + 1, "ftp", 3) == 0) {
            *out = in + i + 1;
            *outlen = 3;
            return SSL_TLSEXT_ERR_OK;
        }
        i += 1 + len;
    }
    return SSL_TLSEXT_ERR_ALERT_FATAL;
}

[[noreturn]] void fail(const std::string& what) {
    throw plugin::Error("intake-ftps: " + what + ": " + ftps::openssl_errors());
}

}  // namespace

TlsContext::TlsContext(const Config& config) {
    ctx_ = SSL_CTX_new(TLS_server_method());
    if (ctx_ == nullptr) fail("cannot create a TLS context");
    try {
        ftps::apply_server_policy(ctx_);
    } catch (const std::exception& e) {
        SSL_CTX_free(ctx_);
        throw plugin::Error(std::string("intake-ftps: TLS policy: ") + e.what());
    }
    auto check = [this](int ok, const std::string& what) {
        if (ok != 1) {
            const std::string errors = ftps::openssl_errors();
            SSL_CTX_free(ctx_);
            ctx_ = nullptr;
            throw plugin::Error("intake-ftps: " + what + ": " + errors);
        }
    };
    check(SSL_CTX_use_certificate_chain_file(ctx_, config.certificate.c_str()),
          "cannot load certificate " + config.certificate);
    check(SSL_CTX_use_PrivateKey_file(ctx_, config.private_key.c_str(), SSL_FILETYPE_PEM),
          "cannot load private key " + config.private_key);
    check(SSL_CTX_check_private_key(ctx_), "the private key does not match the certificate");
    if (!config.client_ca.empty()) {
        check(SSL_CTX_load_verify_locations(ctx_, config.client_ca.c_str(), nullptr),
              "cannot load client CA " + config.client_ca);
        SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    }
    // Tickets for clients that use them (GnuTLS, Python, TLS 1.3), and a server cache for
    // session-ID resumption, which curl uses under TLS 1.2 (it turns tickets off). Either way
    // a session carries its control connection's token as session id context, so OpenSSL
    // itself refuses to resume it on any other connection, and as ticket app data, which the
    // session checks after every data handshake.
    SSL_CTX_set_session_cache_mode(ctx_, SSL_SESS_CACHE_SERVER | SSL_SESS_CACHE_NO_AUTO_CLEAR);
    SSL_CTX_set_timeout(ctx_, 24 * 3600);  // a control connection may last long; idle ends it
    SSL_CTX_clear_options(ctx_, SSL_OP_NO_TICKET);
    check(SSL_CTX_set_session_ticket_cb(ctx_, generate_ticket, decrypt_ticket, nullptr),
          "cannot install the session ticket callbacks");
    SSL_CTX_set_alpn_select_cb(ctx_, select_alpn, nullptr);
    // RELEASE_BUFFERS: an idle connection holds no record buffers (hundreds of sessions wait
    // between commands most of the time).
    SSL_CTX_set_mode(ctx_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                               SSL_MODE_RELEASE_BUFFERS);
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

SSL* TlsContext::make(int fd, TicketBinding* binding) const {
    SSL* ssl = SSL_new(ctx_);
    if (ssl == nullptr) fail("cannot create a TLS connection");
    SSL_set_fd(ssl, fd);
    SSL_set_ex_data(ssl, binding_index(), binding);
    if (binding != nullptr) {
        SSL_set_session_id_context(ssl, binding->token.data(),
                                   static_cast<unsigned int>(binding->token.size()));
        if (binding->data) {
            SSL_set_num_tickets(ssl, 0);
            // Bulk uploads: read ahead so one recv() brings many records. Only data
            // connections get the larger buffer; control connections stay small.
            SSL_set_read_ahead(ssl, 1);
            SSL_set_default_read_buffer_len(ssl, 128 * 1024);
        }
    }
    SSL_set_accept_state(ssl);
    return ssl;
}

TicketBinding* TlsContext::binding_of(SSL* ssl) {
    return static_cast<TicketBinding*>(SSL_get_ex_data(ssl, binding_index()));
}

void TlsContext::mark_control_session(SSL* ssl, const TicketBinding& binding) {
    SSL_SESSION* session = SSL_get0_session(ssl);
    if (session != nullptr) {
        SSL_SESSION_set1_ticket_appdata(session, binding.token.data(), binding.token.size());
    }
}

bool TlsContext::resumed_own_session(SSL* ssl, const TicketBinding& binding) {
    if (SSL_session_reused(ssl) != 1) return false;
    SSL_SESSION* session = SSL_get0_session(ssl);
    void* data = nullptr;
    size_t size = 0;
    return session != nullptr && SSL_SESSION_get0_ticket_appdata(session, &data, &size) == 1 &&
           size == binding.token.size() && CRYPTO_memcmp(data, binding.token.data(), size) == 0;
}

void TlsContext::forget_session(SSL* ssl) const {
    SSL_SESSION* session = SSL_get0_session(ssl);
    if (session != nullptr) SSL_CTX_remove_session(ctx_, session);
}

void TlsContext::detach(SSL* ssl) { SSL_set_ex_data(ssl, binding_index(), nullptr); }

}  // namespace sightline::intake_ftps
