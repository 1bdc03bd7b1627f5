// A test-only explicit FTPS client over one libcurl easy handle: the handle keeps its control
// connection (and the TLS session its data connections resume) between uploads, which is what
// the reload tests need to tell an old session from a new one.
#pragma once

#include <curl/curl.h>

#include <cstddef>
#include <functional>
#include <string>

namespace sightline::intake_ftps::testing {

class FtpsTestClient {
public:
    // ca_file: the only certificate the server's may chain to (host names are not checked).
    FtpsTestClient(int port, std::string user, std::string password, std::string ca_file);
    ~FtpsTestClient();
    FtpsTestClient(const FtpsTestClient&) = delete;
    FtpsTestClient& operator=(const FtpsTestClient&) = delete;

    // STOR name with body, sent in 16 KiB chunks; before_chunk(i) runs before chunk i is handed
    // to libcurl (a test blocks in it to hold the upload open).
    CURLcode put(const std::string& name, const std::string& body,
                 const std::function<void(size_t)>& before_chunk = {});
    long last_response() const { return response_; }

private:
    const int port_;
    const std::string user_;
    const std::string password_;
    const std::string ca_file_;
    CURL* curl_;
    long response_ = 0;
};

}  // namespace sightline::intake_ftps::testing
