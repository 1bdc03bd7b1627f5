// One control connection, served start to end in its own thread.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <string>

#include "channel.hpp"
#include "command.hpp"
#include "passive.hpp"
#include "shared.hpp"
#include "virtual_path.hpp"

namespace sightline::intake_ftps {

class Session {
public:
    Session(Shared& shared, Fd fd, std::string peer);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;
    // A session on bytes in memory (channel.hpp: MemoryWire), for the fuzz target.
    Session(Shared& shared, MemoryWire& wire, std::string peer);
    void run();

private:
    enum class Next { go_on, close };

    Next handle(const Command& command);
    Next before_login(const Command& command);
    Next auth(const std::string& arg);
    Next pass(const std::string& password);
    Next passive(bool extended, const std::string& arg);
    Next store(const std::string& arg);
    Next list(const std::string& arg, const std::string& style);
    Next retrieve(const std::string& arg);
    Next size_or_time(const std::string& verb, const std::string& arg);
    Next modify_time(const std::string& arg);
    Next make_dir(const std::string& arg);
    Next remove(const std::string& arg);
    Next remove_note(const Location& loc);
    Next hash(const std::string& arg);
    Next change_dir(const std::string& arg);

    // Resolves arg for this account; on failure replies (550/553) and returns false.
    bool locate_arg(const std::string& arg, Location& location, VPath& path);
    // Opens the data connection for a transfer after checks and the 150 reply; nullptr after
    // a final error reply.
    std::unique_ptr<Channel> data_for(const std::string& what);

    bool reply(int code, const std::string& text);
    bool reply_raw(const std::string& text);
    void log(plugin::LogLevel level, const char* event, plugin::LogFields fields = {});
    // A short keyed hash of a user name typed that names no account (never logged itself).
    std::string user_tag(const std::string& typed) const;
    bool logged_in() const { return !tenant_.empty(); }
    const Config& config() const { return settings_->config; }
    // After a reload: false when the account this session logged in with was removed, or its
    // tenant or password changed. The session then ends before its next command (a transfer in
    // progress finishes first: commands are not read during one).
    bool account_unchanged() const;

    Shared& shared_;
    std::shared_ptr<const Settings> settings_;  // taken again before every command
    std::shared_ptr<const TlsContext> tls_;     // the context of AUTH TLS, for the whole session
    Channel control_;
    const std::string peer_;
    LineReader reader_;
    TicketBinding binding_;  // this control connection's ticket token
    bool pbsz_ = false;
    bool prot_private_ = false;
    bool epsv_all_ = false;
    std::string pending_user_;
    std::string user_;
    bool session_counted_ = false;  // holds one of user_'s max_sessions_per_account
    std::string tenant_;            // "*" for the relay account; empty before login
    std::string password_hash_;     // the account's when it logged in
    bool await_result_ = false;
    VPath cwd_;
    std::unique_ptr<PassiveListener> passive_;
    int bad_lines_ = 0;
    struct Received {
        std::string landing_path;  // the queue remembers its digest after processing
        int64_t bytes = 0;
    };
    std::map<std::string, Received> received_;  // by virtual path: HASH after processing
};

}  // namespace sightline::intake_ftps
