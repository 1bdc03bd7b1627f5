// A small explicit-FTPS client (RFC 4217) over one libcurl easy handle. The handle is kept
// between operations, so the control connection (and the TLS session that every data connection
// must resume) stays open; libcurl reconnects by itself when the server dropped it.
//
// Policy, fixed here: AUTH TLS then PBSZ 0 / PROT P for everything (CURLUSESSL_ALL), TLS 1.2
// minimum with the ciphers of sightline/ftps/tls_policy.hpp, the server verified against
// ca_file only (and its host name unless verify_host is false), passive mode only (EPSV, then
// PASV to the control connection's address), every path absolute and checked by
// remote_path.hpp before it is sent.
//
// Not thread-safe: one operation at a time (owners hold a mutex).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "connect_settings.hpp"
#include "sightline/plugin/api.hpp"

typedef void CURL;
typedef void CURLM;

namespace sightline::ftps_client {

// Thrown when the server says a file or folder does not exist (550 on RETR/NLST/SIZE).
class RemoteMissing : public plugin::Error {
public:
    explicit RemoteMissing(const std::string& what) : plugin::Error(what, false) {}
};

class FtpsClient {
public:
    explicit FtpsClient(ConnectSettings settings);
    ~FtpsClient();
    FtpsClient(const FtpsClient&) = delete;
    FtpsClient& operator=(const FtpsClient&) = delete;

    // Per-reply timeout for the operations that follow (e.g. the relay waits long for a 226).
    void set_response_timeout(int64_t seconds) { settings_.response_timeout_seconds = seconds; }

    // STOR local_file at remote_path. on_bytes sees every byte sent (to hash while uploading).
    // Returns the final reply line, e.g. "226 Transfer complete.".
    std::string put(const std::string& remote_path, const std::string& local_file,
                    const std::function<void(const char*, size_t)>& on_bytes = {});
    // RETR: the bytes go to sink as they arrive. Throws RemoteMissing when there is no file.
    void get(const std::string& remote_path, const std::function<void(const char*, size_t)>& sink);
    // HASH (draft-bryan-ftpext-hash): the server's SHA-256 of the file, lower-case hex.
    std::string hash(const std::string& remote_path);
    // SIZE in bytes; nullopt when there is no such file.
    std::optional<int64_t> size(const std::string& remote_path);
    void remove(const std::string& remote_path);                  // DELE
    void rename(const std::string& from, const std::string& to);  // RNFR + RNTO
    void mkdir(const std::string& remote_path);                   // MKD
    // MKD of every folder of the path from the top, ignoring refusals (they exist, mostly).
    void mkdirs(const std::string& remote_path);
    // NLST: the names in a folder (last path component only); empty when it does not exist.
    std::vector<std::string> list(const std::string& remote_folder);

    // Closes the connection; the next operation opens a new one.
    void disconnect();

    const ConnectSettings& settings() const { return settings_; }
    // The server's reply lines of the last operation (for tests and messages).
    const std::vector<std::string>& last_replies() const { return replies_; }
    // True when the last operation failed because the server refused the file command itself
    // with 550/553 (after a successful login): typically a folder that does not exist yet.
    bool refused_file_name() const;

private:
    struct Request;
    // Runs one libcurl transfer with the fixed policy; throws plugin::Error on failure.
    void perform(const Request& request);
    // curl_easy_perform, driven through the multi interface (see run_transfer in the .cpp).
    int run_transfer();
    std::string url_for(const std::string& remote_path, bool folder) const;

    ConnectSettings settings_;
    CURL* curl_ = nullptr;
    CURLM* multi_ = nullptr;  // owns the connection cache: lives as long as the client
    std::vector<std::string> replies_;
};

// The hex digest of a "213 SHA-256 0-<size> <hex> <name>" HASH reply; throws plugin::Error when
// the line is not such a reply.
std::string parse_hash_reply(const std::string& line);

// The reply code at the start of a line, or 0.
int reply_code(const std::string& line);

}  // namespace sightline::ftps_client
