#include "ftps_test_client.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace sightline::intake_ftps::testing {

namespace {

constexpr size_t kChunk = 16 * 1024;

struct Source {
    const std::string* body;
    const std::function<void(size_t)>* before_chunk;
    size_t offset = 0;
    size_t chunk = 0;
};

size_t on_read(char* buffer, size_t size, size_t count, void* data) {
    auto* source = static_cast<Source*>(data);
    const size_t left = source->body->size() - source->offset;
    if (left == 0) return 0;
    if (*source->before_chunk) (*source->before_chunk)(source->chunk);
    ++source->chunk;
    const size_t n = std::min({left, size * count, kChunk});
    std::memcpy(buffer, source->body->data() + source->offset, n);
    source->offset += n;
    return n;
}

}  // namespace

FtpsTestClient::FtpsTestClient(int port, std::string user, std::string password,
                               std::string ca_file)
    : port_(port),
      user_(std::move(user)),
      password_(std::move(password)),
      ca_file_(std::move(ca_file)),
      curl_(curl_easy_init()) {
    if (curl_ == nullptr) throw std::runtime_error("curl_easy_init failed");
}

FtpsTestClient::~FtpsTestClient() { curl_easy_cleanup(curl_); }

CURLcode FtpsTestClient::put(const std::string& name, const std::string& body,
                             const std::function<void(size_t)>& before_chunk) {
    Source source{&body, &before_chunk};
    const std::string url = "ftp://127.0.0.1:" + std::to_string(port_) + "/" + name;
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    curl_easy_setopt(curl_, CURLOPT_FTPSSLAUTH, static_cast<long>(CURLFTPAUTH_TLS));
    curl_easy_setopt(curl_, CURLOPT_CAINFO, ca_file_.c_str());
    curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(curl_, CURLOPT_USERNAME, user_.c_str());
    curl_easy_setopt(curl_, CURLOPT_PASSWORD, password_.c_str());
    curl_easy_setopt(curl_, CURLOPT_FTP_USE_EPSV, 1L);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl_, CURLOPT_READFUNCTION, &on_read);
    curl_easy_setopt(curl_, CURLOPT_READDATA, &source);
    curl_easy_setopt(curl_, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(body.size()));
    const CURLcode code = curl_easy_perform(curl_);
    response_ = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &response_);
    // source lives on this frame only.
    curl_easy_setopt(curl_, CURLOPT_READDATA, nullptr);
    return code;
}

}  // namespace sightline::intake_ftps::testing
