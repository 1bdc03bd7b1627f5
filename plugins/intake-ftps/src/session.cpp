#include "session.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <thread>

#include <boost/asio/ip/address.hpp>

#include "admission.hpp"
#include "data_channel.hpp"
#include "session_util.hpp"
#include "sightline/ftps/password.hpp"
#include "status_note.hpp"

namespace sightline::intake_ftps {

using plugin::LogLevel;
namespace {

constexpr int kMaxBadLines = 5;  // a few mistakes are tolerated, a flood is not

std::string upper(std::string text) {
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

}  // namespace

Session::Session(Shared& shared, Fd fd, std::string peer)
    : shared_(shared),
      settings_(shared.settings.get()),
      control_(std::move(fd), shared.stopping),
      peer_(std::move(peer)) {
    if (RAND_bytes(binding_.token.data(), static_cast<int>(binding_.token.size())) != 1) {
        throw plugin::Error("intake-ftps: no random bytes from OpenSSL");
    }
}

Session::Session(Shared& shared, MemoryWire& wire, std::string peer)
    : shared_(shared),
      settings_(shared.settings.get()),
      control_(wire, shared.stopping),
      peer_(std::move(peer)) {
    if (RAND_bytes(binding_.token.data(), static_cast<int>(binding_.token.size())) != 1) {
        throw plugin::Error("intake-ftps: no random bytes from OpenSSL");
    }
}

Session::~Session() {
    if (session_counted_) shared_.account_sessions.release(user_);
}

void Session::log(LogLevel level, const char* event, plugin::LogFields fields) {
    fields["peer"] = peer_;
    if (!user_.empty()) fields["account"] = user_;
    shared_.host.log(level, event, fields);
}

bool Session::reply_raw(const std::string& text) {
    return control_.write_all(text, Clock::now() + std::chrono::seconds(30)) == Io::ok;
}

bool Session::reply(int code, const std::string& text) {
    return reply_raw(std::to_string(code) + " " + one_line(text, 1000) + "\r\n");
}

bool Session::account_unchanged() const {
    for (const auto& account : config().accounts) {
        if (account.user == user_) {
            return account.tenant == tenant_ && account.password_hash == password_hash_;
        }
    }
    return false;
}

void Session::run() {
    const Deadline login_deadline =
        Clock::now() + std::chrono::seconds(config().limits.login_timeout_seconds);
    if (!reply(220, "Sightline upload-only FTPS server: AUTH TLS required")) return;
    std::vector<char> buffer(4096);
    for (;;) {
        std::string line;
        const auto status = reader_.next(line);
        if (status == LineReader::Status::too_long || status == LineReader::Status::bad) {
            const bool too_long = status == LineReader::Status::too_long;
            log(LogLevel::warn, too_long ? "intake_ftps.line_too_long" : "intake_ftps.bad_line");
            if (++bad_lines_ >= kMaxBadLines) {
                reply(421, "Too many bad command lines; closing");
                break;
            }
            if (!reply(500, too_long ? "Command line too long" : "Command refused: NUL or bare CR"))
                break;
            continue;
        }
        if (status == LineReader::Status::line) {
            settings_ = shared_.settings.get();
            if (logged_in() && !account_unchanged()) {
                log(LogLevel::warn, "intake_ftps.account_changed");
                reply(421, "Account changed or removed: log in again");
                break;
            }
            Command command;
            if (!parse_command(line, command)) {
                if (!reply(500, "Syntax error, command unrecognized")) break;
                continue;
            }
            if (handle(command) == Next::close) break;
            continue;
        }
        // Before login the login deadline bounds every wait; after it, the idle timeout.
        Deadline deadline =
            Clock::now() + std::chrono::seconds(config().limits.idle_timeout_seconds);
        if (!logged_in()) deadline = std::min(deadline, login_deadline);
        size_t got = 0;
        const Io io = control_.read(buffer.data(), buffer.size(), got, deadline);
        if (io == Io::ok) {
            reader_.feed(buffer.data(), got);
            continue;
        }
        if (io == Io::timeout) {
            const bool login = !logged_in() && Clock::now() >= login_deadline;
            log(LogLevel::warn, login ? "intake_ftps.login_timeout" : "intake_ftps.idle_timeout");
            reply(421, login ? "Login timeout: closing" : "Idle timeout: closing");
        } else if (io == Io::stopped) {
            reply(421, "Server shutting down");
        }
        break;
    }
    control_.close_notify(Clock::now() + std::chrono::seconds(1));
    if (control_.tls()) {
        tls_->forget_session(control_.ssl());
        TlsContext::detach(control_.ssl());
    }
}

Session::Next Session::handle(const Command& c) {
    const std::string& v = c.verb;
    // Allowed at any time.
    if (v == "FEAT") {
        reply_raw(
            "211-Features:\r\n AUTH TLS\r\n PBSZ\r\n PROT\r\n EPSV\r\n PASV\r\n SIZE\r\n"
            " MDTM\r\n MFMT\r\n MLST type*;size*;modify*;\r\n UTF8\r\n HASH SHA-256*\r\n"
            "211 End\r\n");
        return Next::go_on;
    }
    if (v == "QUIT") {
        reply(221, "Goodbye");
        return Next::close;
    }
    if (v == "NOOP") return reply(200, "OK") ? Next::go_on : Next::close;
    if (v == "SYST") return reply(215, "UNIX Type: L8") ? Next::go_on : Next::close;
    if (v == "AUTH") return auth(c.arg);
    if (!control_.tls()) {
        if (v == "USER" || v == "PASS") {
            // Nothing about the attempt beyond its having happened: a password sent in clear
            // text must not also end up in a log.
            log(LogLevel::warn, "intake_ftps.cleartext_login_refused");
        }
        return reply(530, "TLS required: use AUTH TLS") ? Next::go_on : Next::close;
    }
    if (v == "PBSZ") {
        if (c.arg != "0") return reply(501, "PBSZ=0 only") ? Next::go_on : Next::close;
        pbsz_ = true;
        return reply(200, "PBSZ=0") ? Next::go_on : Next::close;
    }
    if (v == "PROT") {
        const std::string level = upper(c.arg);
        if (!pbsz_) return reply(503, "PBSZ 0 first") ? Next::go_on : Next::close;
        if (level == "P") {
            prot_private_ = true;
            return reply(200, "Protection level set to Private") ? Next::go_on : Next::close;
        }
        if (level == "C") {
            log(LogLevel::warn, "intake_ftps.prot_clear_refused");
            return reply(536, "PROT C refused: data connections must be protected (PROT P)")
                       ? Next::go_on
                       : Next::close;
        }
        return reply(504, "Only PROT P is supported") ? Next::go_on : Next::close;
    }
    if (v == "USER") {
        if (logged_in()) return reply(503, "Already logged in") ? Next::go_on : Next::close;
        pending_user_ = c.arg;
        return reply(331, "Password required") ? Next::go_on : Next::close;
    }
    if (v == "PASS") return pass(c.arg);
    if (v == "OPTS") {
        const std::string arg = upper(c.arg);
        if (arg == "UTF8 ON" || arg == "UTF-8 ON") {
            return reply(200, "UTF8 on") ? Next::go_on : Next::close;
        }
        if (arg == "HASH" || arg == "HASH SHA-256") {
            return reply(200, "SHA-256") ? Next::go_on : Next::close;
        }
        return reply(501, "Option not supported") ? Next::go_on : Next::close;
    }
    if (!logged_in()) {
        return reply(530, "Please log in with USER and PASS") ? Next::go_on : Next::close;
    }
    if (v == "PWD" || v == "XPWD") {
        return reply(257, quote_path(to_string(cwd_)) + " is the current directory") ? Next::go_on
                                                                                     : Next::close;
    }
    if (v == "CWD" || v == "XCWD") return change_dir(c.arg);
    if (v == "CDUP" || v == "XCUP") {
        if (!cwd_.empty()) cwd_.pop_back();
        return reply(250, "Directory changed to " + to_string(cwd_)) ? Next::go_on : Next::close;
    }
    if (v == "TYPE") {
        const std::string type = upper(c.arg);
        if (type == "I" || type == "A" || type == "A N" || type == "L 8") {
            return reply(200, "Type set to " + type) ? Next::go_on : Next::close;
        }
        return reply(504, "Type not supported") ? Next::go_on : Next::close;
    }
    if (v == "MODE") {
        return (upper(c.arg) == "S" ? reply(200, "Mode S") : reply(504, "Only MODE S"))
                   ? Next::go_on
                   : Next::close;
    }
    if (v == "STRU") {
        return (upper(c.arg) == "F" ? reply(200, "Structure F") : reply(504, "Only STRU F"))
                   ? Next::go_on
                   : Next::close;
    }
    if (v == "EPSV") return passive(true, c.arg);
    if (v == "PASV") return passive(false, c.arg);
    if (v == "PORT" || v == "EPRT" || v == "LPRT") {
        log(LogLevel::warn, "intake_ftps.active_refused", {{"command", v}});
        return reply(502, v + " refused: active mode is not supported, use EPSV or PASV")
                   ? Next::go_on
                   : Next::close;
    }
    if (v == "STOR") return store(c.arg);
    if (v == "LIST") return list(c.arg, "list");
    if (v == "NLST") return list(c.arg, "nlst");
    if (v == "MLSD") return list(c.arg, "mlsd");
    if (v == "RETR") return retrieve(c.arg);
    if (v == "SIZE" || v == "MDTM") return size_or_time(v, c.arg);
    if (v == "MFMT") return modify_time(c.arg);
    if (v == "MKD" || v == "XMKD") return make_dir(c.arg);
    if (v == "DELE") return remove(c.arg);
    if (v == "HASH") return hash(c.arg);
    if (v == "ALLO")
        return reply(202, "No storage allocation necessary") ? Next::go_on : Next::close;
    if (v == "APPE" || v == "STOU" || v == "REST" || v == "RNFR" || v == "RNTO" || v == "RMD" ||
        v == "XRMD" || v == "SITE" || v == "ABOR" || v == "MLST" || v == "STAT" || v == "ACCT" ||
        v == "REIN" || v == "SMNT" || v == "HELP") {
        return reply(502, v + " not implemented") ? Next::go_on : Next::close;
    }
    return reply(500, "Unknown command") ? Next::go_on : Next::close;
}

Session::Next Session::auth(const std::string& arg) {
    const std::string mechanism = upper(arg);
    if (control_.tls()) return reply(503, "TLS already active") ? Next::go_on : Next::close;
    if (mechanism != "TLS" && mechanism != "TLS-C") {
        return reply(504, "Only AUTH TLS is supported") ? Next::go_on : Next::close;
    }
    // Anything already received after this line was sent in clear text before the handshake:
    // acting on it later as if it came over TLS is the STARTTLS injection bug. Drop the
    // connection rather than guess.
    if (reader_.pending() > 0) {
        log(LogLevel::warn, "intake_ftps.pipelined_cleartext",
            {{"bytes", std::to_string(reader_.pending())}});
        return Next::close;
    }
    if (!reply(234, "Proceed with TLS negotiation")) return Next::close;
    tls_ = settings_->tls;
    const Io io = control_.handshake(
        *tls_, &binding_,
        Clock::now() + std::chrono::seconds(config().limits.login_timeout_seconds));
    if (io != Io::ok) {
        log(LogLevel::warn, "intake_ftps.tls_failed", {{"error", control_.error()}});
        return Next::close;
    }
    TlsContext::mark_control_session(control_.ssl(), binding_);
    log(LogLevel::debug, "intake_ftps.tls",
        {{"version", SSL_get_version(control_.ssl())},
         {"cipher", SSL_get_cipher_name(control_.ssl())}});
    return Next::go_on;
}

std::string Session::user_tag(const std::string& typed) const {
    // A name typed at USER is sometimes a password typed into the wrong field. Unknown names
    // are never logged; this tag (HMAC-SHA256 under a key made at start, 8 hex digits) lets an
    // operator see that attempts repeat without being able to recover the name.
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    HMAC(EVP_sha256(), shared_.log_key.data(), static_cast<int>(shared_.log_key.size()),
         reinterpret_cast<const unsigned char*>(typed.data()), typed.size(), mac, &size);
    return hex(mac, 4);
}

Session::Next Session::pass(const std::string& password) {
    if (pending_user_.empty()) return reply(503, "USER first") ? Next::go_on : Next::close;
    if (logged_in()) return reply(503, "Already logged in") ? Next::go_on : Next::close;
    const std::string user = pending_user_;
    pending_user_.clear();
    // A ban given while this connection was open applies to it too, before any password is
    // tried: otherwise every session opened before the ban could go on guessing.
    if (shared_.bans.banned(peer_, shared_.host.now_us())) {
        log(LogLevel::warn, "intake_ftps.banned_session_closed");
        reply(421, "Too many failed logins from your address: try later");
        return Next::close;
    }
    const Account* account = nullptr;
    for (const auto& a : config().accounts) {
        if (a.user == user) account = &a;
    }
    bool ok = false;
    shared_.verifications.acquire();
    try {
        ok = ftps::verify_password(password,
                                   account ? account->password_hash : shared_.dummy_hash) &&
             account != nullptr;
    } catch (const std::exception&) {
        ok = false;
    }
    shared_.verifications.release();
    const int64_t now = shared_.host.now_us();
    if (!ok) {
        const bool banned = shared_.bans.record_failure(peer_, now);
        plugin::LogFields fields;
        if (account != nullptr) {
            fields["user"] = account->user;
        } else {
            fields["user_unknown"] = "true";
            fields["user_tag"] = user_tag(user);
        }
        log(LogLevel::warn, "intake_ftps.login_failed", fields);
        std::this_thread::sleep_for(std::chrono::milliseconds(config().limits.login_delay_ms));
        if (banned) {
            log(LogLevel::warn, "intake_ftps.banned",
                {{"seconds", std::to_string(config().limits.ban_seconds)}});
            reply(421, "Too many failed logins: try again later");
            return Next::close;
        }
        return reply(530, "Login incorrect") ? Next::go_on : Next::close;
    }
    shared_.bans.record_success(peer_);
    const int64_t max_sessions = config().limits.max_sessions_per_account;
    if (!shared_.account_sessions.acquire(account->user, max_sessions)) {
        log(LogLevel::warn, "intake_ftps.too_many_sessions",
            {{"user", account->user}, {"max_sessions_per_account", std::to_string(max_sessions)}});
        reply(421, "Too many sessions for this account (at most " + std::to_string(max_sessions) +
                       "): close one and try again");
        return Next::close;
    }
    user_ = account->user;
    session_counted_ = true;
    tenant_ = account->tenant;
    password_hash_ = account->password_hash;
    await_result_ = account->await_result;
    cwd_.clear();
    Admission::note_login();  // no longer closed to make room for new connections
    log(LogLevel::info, "intake_ftps.login", {{"tenant", tenant_}});
    return reply(230, "Logged in") ? Next::go_on : Next::close;
}

bool Session::locate_arg(const std::string& arg, Location& location, VPath& path) {
    std::string why;
    if (!resolve(cwd_, arg, path, why)) {
        log(LogLevel::warn, "intake_ftps.path_refused", {{"reason", why}});
        reply(553, why);
        return false;
    }
    location = locate(path, tenant_, settings_->tenants);
    if (location.place == Place::none) {
        log(LogLevel::warn, "intake_ftps.path_refused", {{"reason", "outside the tree"}});
        reply(550, "No such file or directory");
        return false;
    }
    return true;
}

Session::Next Session::change_dir(const std::string& arg) {
    Location loc;
    VPath path;
    if (!locate_arg(arg, loc, path)) return Next::go_on;
    if (!loc.is_dir()) return reply(550, "Not a directory") ? Next::go_on : Next::close;
    if (loc.place != Place::relay_root &&
        !shared_.landing.open_dir(loc.tenant, sub_of(loc.place)).valid()) {
        return reply(550, "No such directory") ? Next::go_on : Next::close;
    }
    cwd_ = path;
    return reply(250, "Directory changed to " + to_string(cwd_)) ? Next::go_on : Next::close;
}

Session::Next Session::passive(bool extended, const std::string& arg) {
    if (extended && upper(arg) == "ALL") {
        epsv_all_ = true;
        return reply(200, "EPSV ALL ok") ? Next::go_on : Next::close;
    }
    if (!extended && epsv_all_) return reply(503, "EPSV ALL in effect") ? Next::go_on : Next::close;
    passive_.reset();
    // TLS 1.3 clients use a ticket once (OpenSSL drops it from the client cache after a
    // resumption), so each data connection needs a fresh one. It is issued here, on the control
    // connection, and travels with this reply, before the client opens the data connection.
    if (SSL_version(control_.ssl()) == TLS1_3_VERSION) SSL_new_session_ticket(control_.ssl());
    boost::system::error_code ec;
    const auto local = boost::asio::ip::make_address(local_address(control_.fd()), ec);
    if (ec) return reply(425, "Cannot open a passive port") ? Next::go_on : Next::close;
    std::string why;
    passive_ = PassiveListener::open(shared_.io, shared_.ports, local, why);
    if (!passive_) {
        log(LogLevel::error, "intake_ftps.no_passive_port", {{"error", why}});
        return reply(425, "Cannot open a passive port") ? Next::go_on : Next::close;
    }
    const unsigned port = passive_->port();
    if (extended) {
        return reply(229, "Entering Extended Passive Mode (|||" + std::to_string(port) + "|)")
                   ? Next::go_on
                   : Next::close;
    }
    const auto advertised = boost::asio::ip::make_address(config().advertised_address, ec);
    if (ec || !advertised.is_v4()) {
        passive_.reset();
        return reply(425, "PASV needs an IPv4 address: use EPSV") ? Next::go_on : Next::close;
    }
    auto bytes = advertised.to_v4().to_bytes();
    std::string text = "Entering Passive Mode (";
    for (auto b : bytes) text += std::to_string(b) + ",";
    text += std::to_string(port >> 8) + "," + std::to_string(port & 255) + ")";
    return reply(227, text) ? Next::go_on : Next::close;
}

std::unique_ptr<Channel> Session::data_for(const std::string& what) {
    if (!prot_private_) {
        reply(521, "PROT P required before any data transfer");
        return nullptr;
    }
    if (!passive_) {
        reply(425, "Use EPSV or PASV first");
        return nullptr;
    }
    std::unique_ptr<PassiveListener> listener = std::move(passive_);
    if (!reply(150, "Opening data connection for " + what)) return nullptr;
    DataFailure failure = DataFailure::none;
    std::string why;
    auto data =
        open_data(shared_, config().limits, *tls_, *listener, peer_, binding_.token, failure, why);
    if (data) return data;
    switch (failure) {
        case DataFailure::not_resumed:
            log(LogLevel::warn, "intake_ftps.data_session_refused", {{"reason", why}});
            reply(522, "data connection must resume the control connection's TLS session");
            break;
        case DataFailure::tls:
            log(LogLevel::warn, "intake_ftps.data_tls_failed", {{"error", why}});
            reply(522, "TLS negotiation on the data connection failed");
            break;
        case DataFailure::timeout:
            log(LogLevel::warn, "intake_ftps.data_connect_timeout");
            reply(425, "No data connection");
            break;
        default:
            reply(421, "Server shutting down");
            break;
    }
    return nullptr;
}

}  // namespace sightline::intake_ftps
