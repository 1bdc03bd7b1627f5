// The server's TLS context and the binding of data connections to their control connection.
//
// Session binding: every control connection has a random 16-byte token. Its TLS session carries
// the token twice: as the session id context (OpenSSL resumes a session, by ID or by ticket,
// only on a connection with the same context, and each data connection is given its control
// connection's token as context) and as ticket application data (set by the ticket generate
// callback and after the handshake for the session cache). The ticket decrypt callback ignores
// tickets whose data is not the expected token, and after every data handshake the session
// requires SSL_session_reused() and the token in the resumed session. Resuming someone else's
// session (the vsftpd flaw), a fresh handshake, or a session of another control connection all
// end in a refusal (522). Only control connections issue tickets.
#pragma once

#include <openssl/ssl.h>

#include <array>
#include <string>

namespace sightline::intake_ftps {

struct Config;

struct TicketBinding {
    std::array<unsigned char, 16> token{};  // the control connection's identity
    bool data = false;                      // false: control connection (issues tickets)
};

class TlsContext {
public:
    // Loads the certificate and key (creating a self-signed pair first when configured);
    // throws plugin::Error with OpenSSL's reasons.
    explicit TlsContext(const Config& config);
    ~TlsContext();
    TlsContext(const TlsContext&) = delete;
    TlsContext& operator=(const TlsContext&) = delete;

    SSL_CTX* get() const { return ctx_; }
    // A new SSL object for fd, with binding attached (borrowed; must outlive the SSL).
    SSL* make(int fd, TicketBinding* binding) const;

    static TicketBinding* binding_of(SSL* ssl);
    static void detach(SSL* ssl);  // before the binding goes out of scope
    // After the control handshake: tag its session (cached for session-ID resumption) with the
    // token, as tickets are tagged by the generate callback.
    static void mark_control_session(SSL* ssl, const TicketBinding& binding);
    // After a data handshake: resumed, and the session carries this control connection's token.
    static bool resumed_own_session(SSL* ssl, const TicketBinding& binding);
    // Drops a connection's session from the server cache (closed control connection, refused
    // data connection).
    void forget_session(SSL* ssl) const;

private:
    SSL_CTX* ctx_ = nullptr;
};

}  // namespace sightline::intake_ftps
