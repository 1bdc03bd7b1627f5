#include "ftps_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>
#include <mutex>

#include "remote_path.hpp"
#include "sightline/ftps/tls_policy.hpp"

namespace sightline::ftps_client {

using plugin::Error;

namespace {

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            throw Error("libcurl cannot be initialised");
        }
    });
}

struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

struct FileDeleter {
    void operator()(FILE* file) const { std::fclose(file); }
};

size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto* replies = static_cast<std::vector<std::string>*>(user);
    std::string line(data, size * count);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    // libcurl also reports its own pseudo headers for some requests; keep server replies only.
    if (reply_code(line) != 0) replies->push_back(line);
    return size * count;
}

struct Upload {
    FILE* file;
    const std::function<void(const char*, size_t)>* on_bytes;
    std::string error;
};

size_t on_read(char* buffer, size_t size, size_t count, void* user) {
    auto* upload = static_cast<Upload*>(user);
    const size_t n = std::fread(buffer, 1, size * count, upload->file);
    if (n == 0 && std::ferror(upload->file)) {
        upload->error = "cannot read the local file";
        return CURL_READFUNC_ABORT;
    }
    try {
        if (n > 0 && *upload->on_bytes) (*upload->on_bytes)(buffer, n);
    } catch (const std::exception& e) {
        upload->error = e.what();
        return CURL_READFUNC_ABORT;
    }
    return n;
}

struct Download {
    const std::function<void(const char*, size_t)>* sink;
    std::string error;
};

size_t on_write(char* data, size_t size, size_t count, void* user) {
    auto* download = static_cast<Download*>(user);
    try {
        (*download->sink)(data, size * count);
    } catch (const std::exception& e) {
        download->error = e.what();
        return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
    }
    return size * count;
}

size_t on_list(char* data, size_t size, size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

bool transient_code(CURLcode code) {
    switch (code) {
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_CONNECT:
        case CURLE_OPERATION_TIMEDOUT:
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE:
        case CURLE_FTP_ACCEPT_TIMEOUT:
        case CURLE_FTP_CANT_GET_HOST:
        case CURLE_FTP_WEIRD_PASV_REPLY:
        case CURLE_FTP_WEIRD_227_FORMAT:
        case CURLE_FTP_WEIRD_SERVER_REPLY:
        case CURLE_SSL_CONNECT_ERROR:  // handshake cut off: network trouble, not a bad certificate
        case CURLE_AGAIN:
            return true;
        default:
            return false;
    }
}

}  // namespace

int reply_code(const std::string& line) {
    if (line.size() < 4 || (line[3] != ' ' && line[3] != '-')) return 0;
    for (int i = 0; i < 3; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(line[i]))) return 0;
    }
    if (line[0] < '1' || line[0] > '6') return 0;
    return std::stoi(line.substr(0, 3));
}

std::string parse_hash_reply(const std::string& line) {
    // 213 SHA-256 0-<size> <hex> <name...>
    if (reply_code(line) != 213 || line[3] != ' ') throw Error("not a HASH reply: " + line);
    size_t at = 4;
    auto token = [&]() {
        while (at < line.size() && line[at] == ' ') ++at;
        const size_t end = std::min(line.find(' ', at), line.size());
        std::string out = line.substr(at, end - at);
        at = end;
        return out;
    };
    std::string algorithm = token();
    std::transform(algorithm.begin(), algorithm.end(), algorithm.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    const std::string range = token();
    std::string hex = token();
    if (algorithm != "SHA-256") throw Error("HASH reply for another algorithm: " + algorithm);
    if (range.empty() || range.find('-') == std::string::npos) {
        throw Error("HASH reply without a byte range: " + line);
    }
    std::transform(hex.begin(), hex.end(), hex.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (hex.size() != 64 || hex.find_first_not_of("0123456789abcdef") != std::string::npos) {
        throw Error("HASH reply without a SHA-256 digest: " + line);
    }
    return hex;
}

// One libcurl transfer. Exactly one of the modes applies: upload (local_file), download (sink),
// listing (listing != nullptr), metadata only (no_body; quote commands and/or SIZE).
struct FtpsClient::Request {
    std::string url;
    std::vector<std::string> quote;  // sent before the transfer; a leading '*' ignores failure
    bool no_body = false;
    bool upload = false;
    bool list_only = false;
    FILE* upload_file = nullptr;
    int64_t upload_size = -1;
    const std::function<void(const char*, size_t)>* on_bytes = nullptr;
    const std::function<void(const char*, size_t)>* sink = nullptr;
    std::string* listing = nullptr;
    std::string what;  // for messages: "STOR /a/b"
};

FtpsClient::FtpsClient(ConnectSettings settings) : settings_(std::move(settings)) {
    global_init();
    curl_ = curl_easy_init();
    multi_ = curl_multi_init();
    if (!curl_ || !multi_) {
        curl_easy_cleanup(curl_);
        curl_multi_cleanup(multi_);
        throw Error("libcurl cannot create a handle");
    }
}

FtpsClient::~FtpsClient() {
    curl_multi_cleanup(multi_);
    curl_easy_cleanup(curl_);
}

void FtpsClient::disconnect() {
    // New handles drop the connection and its TLS session: a clean start after trouble.
    curl_multi_cleanup(multi_);
    curl_easy_cleanup(curl_);
    curl_ = curl_easy_init();
    multi_ = curl_multi_init();
    if (!curl_ || !multi_) throw Error("libcurl cannot create a handle");
}

int FtpsClient::run_transfer() {
    // Why not curl_easy_perform: libcurl 7.88 (Debian 12) often sits out its default 1 s timer
    // between a 229/227 passive reply and connecting the data socket, because no socket is
    // being watched in that state; every transfer then takes a second longer. Driving the
    // multi handle with short polls moves on at once. The wait grows while nothing happens
    // (e.g. during the long wait for a relay's final reply) so an idle transfer costs nothing.
    if (curl_multi_add_handle(multi_, curl_) != CURLM_OK) throw Error("libcurl multi add failed");
    int running = 1;
    int wait_ms = 2;
    CURLcode result = CURLE_OK;
    while (running) {
        if (curl_multi_perform(multi_, &running) != CURLM_OK) {
            result = CURLE_OUT_OF_MEMORY;
            break;
        }
        if (!running) break;
        int ready = 0;
        if (curl_multi_poll(multi_, nullptr, 0, wait_ms, &ready) != CURLM_OK) {
            result = CURLE_OUT_OF_MEMORY;
            break;
        }
        wait_ms = ready > 0 ? 2 : std::min(wait_ms * 2, 200);
    }
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
        if (message->msg == CURLMSG_DONE && message->easy_handle == curl_) {
            result = message->data.result;
        }
    }
    curl_multi_remove_handle(multi_, curl_);
    return static_cast<int>(result);
}

std::string FtpsClient::url_for(const std::string& remote_path, bool folder) const {
    // "%2F" makes the path absolute on the server; with CURLFTPMETHOD_NOCWD libcurl sends it
    // whole in the command (STOR /a/b), without CWDs whose state would carry over between
    // operations on the reused connection.
    std::string host = settings_.host;
    if (host.find(':') != std::string::npos && host.front() != '[') host = "[" + host + "]";
    std::string url = "ftp://" + host + ":" + std::to_string(settings_.port) + "/%2F";
    const std::vector<std::string> parts = split_remote_path(remote_path);
    for (size_t i = 0; i < parts.size(); ++i) {
        char* escaped =
            curl_easy_escape(curl_, parts[i].c_str(), static_cast<int>(parts[i].size()));
        if (!escaped) throw Error("libcurl cannot escape a path");
        if (i > 0) url += "/";
        url += escaped;
        curl_free(escaped);
    }
    if (folder && !parts.empty()) url += "/";
    return url;
}

void FtpsClient::perform(const Request& request) {
    // Reset drops the options of the previous operation but keeps the live connection and the
    // TLS session cache, which the data connections need (servers require session reuse).
    curl_easy_reset(curl_);
    replies_.clear();
    char error_buffer[CURL_ERROR_SIZE] = "";
    const ConnectSettings& s = settings_;
    auto set = [&](CURLoption option, auto value) {
        if (curl_easy_setopt(curl_, option, value) != CURLE_OK) {
            throw Error("libcurl refused an option (" + std::to_string(option) + ")");
        }
    };
    set(CURLOPT_ERRORBUFFER, error_buffer);
    set(CURLOPT_NOSIGNAL, 1L);
    set(CURLOPT_PROTOCOLS_STR, "ftp");
    set(CURLOPT_URL, request.url.c_str());
    set(CURLOPT_USERNAME, s.user.c_str());
    set(CURLOPT_PASSWORD, s.password.c_str());
    // Explicit FTPS, control and data: AUTH TLS, PBSZ 0, PROT P, or fail.
    set(CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    set(CURLOPT_FTPSSLAUTH, static_cast<long>(CURLFTPAUTH_TLS));
    set(CURLOPT_FTP_SSL_CCC, static_cast<long>(CURLFTPSSL_CCC_NONE));
    set(CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2 |
                                              (s.tls_max == 12 ? CURL_SSLVERSION_MAX_TLSv1_2
                                                               : CURL_SSLVERSION_MAX_TLSv1_3)));
    set(CURLOPT_SSL_CIPHER_LIST, sightline::ftps::kTls12Ciphers);
    set(CURLOPT_TLS13_CIPHERS, sightline::ftps::kTls13Suites);
    set(CURLOPT_SSL_VERIFYPEER, 1L);
    set(CURLOPT_SSL_VERIFYHOST, s.verify_host ? 2L : 0L);
    set(CURLOPT_CAINFO, s.ca_file.c_str());
    set(CURLOPT_CAPATH, static_cast<const char*>(nullptr));  // ca_file only, not the system store
    if (!s.client_certificate.empty()) {
        set(CURLOPT_SSLCERT, s.client_certificate.c_str());
        set(CURLOPT_SSLKEY, s.client_key.c_str());
    }
    // Passive only; PASV's address is ignored in favour of the control connection's peer.
    set(CURLOPT_FTP_USE_EPSV, 1L);
    set(CURLOPT_FTP_SKIP_PASV_IP, 1L);
    set(CURLOPT_FTP_FILEMETHOD, static_cast<long>(CURLFTPMETHOD_NOCWD));
    set(CURLOPT_CONNECTTIMEOUT, static_cast<long>(s.connect_timeout_seconds));
    set(CURLOPT_SERVER_RESPONSE_TIMEOUT, static_cast<long>(s.response_timeout_seconds));
    set(CURLOPT_LOW_SPEED_LIMIT, 1L);
    set(CURLOPT_LOW_SPEED_TIME, static_cast<long>(s.stall_timeout_seconds));
    set(CURLOPT_HEADERFUNCTION, &on_header);
    set(CURLOPT_HEADERDATA, &replies_);

    Slist quote;
    for (const std::string& command : request.quote) {
        curl_slist* appended = curl_slist_append(quote.get(), command.c_str());
        if (!appended) throw Error("out of memory");
        quote.release();
        quote.reset(appended);
    }
    if (quote) set(CURLOPT_QUOTE, quote.get());

    Upload upload{request.upload_file, request.on_bytes, ""};
    Download download{request.sink, ""};
    if (request.no_body) set(CURLOPT_NOBODY, 1L);
    if (request.upload) {
        set(CURLOPT_UPLOAD, 1L);
        set(CURLOPT_READFUNCTION, &on_read);
        set(CURLOPT_READDATA, &upload);
        set(CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.upload_size));
    } else if (request.sink) {
        set(CURLOPT_WRITEFUNCTION, &on_write);
        set(CURLOPT_WRITEDATA, &download);
    } else if (request.listing) {
        set(CURLOPT_DIRLISTONLY, 1L);
        set(CURLOPT_WRITEFUNCTION, &on_list);
        set(CURLOPT_WRITEDATA, request.listing);
    }

    const auto code = static_cast<CURLcode>(run_transfer());
    long response = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &response);
    const std::string curl_error = error_buffer[0] ? error_buffer : curl_easy_strerror(code);
    // The handle still points at this frame's buffer, callbacks' data and quote list; closing
    // the connection later may use some of them. Reset drops them (and keeps the connection).
    curl_easy_reset(curl_);
    if (code == CURLE_OK) return;

    const std::string last = replies_.empty() ? "" : replies_.back();
    const std::string local = !upload.error.empty() ? upload.error : download.error;
    std::string message =
        request.what + " on " + s.host + ":" + std::to_string(s.port) + ": " + curl_error;
    if (!local.empty()) message += " (" + local + ")";
    if (!last.empty() && message.find(last) == std::string::npos) {
        message += " (server: " + last + ")";
    }
    if (code == CURLE_REMOTE_FILE_NOT_FOUND || (response == 550 && request.listing)) {
        throw RemoteMissing(message);
    }
    // 4xx: try again later; 5xx: the server refuses for good; no reply: the network decides.
    const int reply = reply_code(last);
    bool transient = transient_code(code);
    if (reply >= 400 && reply < 500) transient = true;
    if (reply >= 500 && code != CURLE_OPERATION_TIMEDOUT) transient = false;
    if (code == CURLE_LOGIN_DENIED || code == CURLE_PEER_FAILED_VERIFICATION) transient = false;
    // After a failure the connection's state is unknown: start afresh next time.
    disconnect();
    throw Error(message, transient);
}

std::string FtpsClient::put(const std::string& remote_path, const std::string& local_file,
                            const std::function<void(const char*, size_t)>& on_bytes) {
    check_remote_path(remote_path);
    std::unique_ptr<FILE, FileDeleter> file(std::fopen(local_file.c_str(), "rb"));
    if (!file) throw Error("cannot open " + local_file + " for upload");
    if (std::fseek(file.get(), 0, SEEK_END) != 0) throw Error("cannot seek " + local_file);
    const long size = std::ftell(file.get());
    std::rewind(file.get());
    Request request;
    request.url = url_for(remote_path, false);
    request.upload = true;
    request.upload_file = file.get();
    request.upload_size = size;
    request.on_bytes = &on_bytes;
    request.what = "STOR " + remote_path;
    perform(request);
    // The last reply is the transfer's final one (226 or 250).
    for (auto it = replies_.rbegin(); it != replies_.rend(); ++it) {
        const int code = reply_code(*it);
        if ((code == 226 || code == 250) && (*it)[3] == ' ') return *it;
    }
    return replies_.empty() ? "" : replies_.back();
}

bool FtpsClient::refused_file_name() const {
    if (replies_.empty()) return false;
    const int code = reply_code(replies_.back());
    return code == 550 || code == 553;
}

void FtpsClient::get(const std::string& remote_path,
                     const std::function<void(const char*, size_t)>& sink) {
    check_remote_path(remote_path);
    Request request;
    request.url = url_for(remote_path, false);
    request.sink = &sink;
    request.what = "RETR " + remote_path;
    perform(request);
}

std::string FtpsClient::hash(const std::string& remote_path) {
    check_remote_path(remote_path);
    Request request;
    request.url = url_for("/", true);
    request.no_body = true;
    request.quote = {"HASH " + remote_path};
    request.what = "HASH " + remote_path;
    perform(request);
    for (auto it = replies_.rbegin(); it != replies_.rend(); ++it) {
        if (reply_code(*it) == 213) return parse_hash_reply(*it);
    }
    throw Error("HASH " + remote_path + ": no 213 reply from " + settings_.host, true);
}

std::optional<int64_t> FtpsClient::size(const std::string& remote_path) {
    check_remote_path(remote_path);
    Request request;
    request.url = url_for("/", true);
    request.no_body = true;
    // '*': a 550 (no such file) must not fail the request; the reply says it.
    request.quote = {"TYPE I", "*SIZE " + remote_path};
    request.what = "SIZE " + remote_path;
    perform(request);
    for (auto it = replies_.rbegin(); it != replies_.rend(); ++it) {
        const int code = reply_code(*it);
        if (code == 213) {
            try {
                return std::stoll(it->substr(4));
            } catch (const std::exception&) {
                throw Error("SIZE " + remote_path + ": unexpected reply " + *it);
            }
        }
        if (code == 550) return std::nullopt;
        if (code >= 400) {
            throw Error("SIZE " + remote_path + ": " + *it, code < 500);
        }
    }
    throw Error("SIZE " + remote_path + ": no reply from " + settings_.host, true);
}

void FtpsClient::remove(const std::string& remote_path) {
    check_remote_path(remote_path);
    Request request;
    request.url = url_for("/", true);
    request.no_body = true;
    request.quote = {"DELE " + remote_path};
    request.what = "DELE " + remote_path;
    perform(request);
}

void FtpsClient::rename(const std::string& from, const std::string& to) {
    check_remote_path(from);
    check_remote_path(to);
    Request request;
    request.url = url_for("/", true);
    request.no_body = true;
    request.quote = {"RNFR " + from, "RNTO " + to};
    request.what = "RNFR " + from + " RNTO " + to;
    perform(request);
}

void FtpsClient::mkdir(const std::string& remote_path) {
    check_remote_path(remote_path);
    Request request;
    request.url = url_for("/", true);
    request.no_body = true;
    request.quote = {"MKD " + remote_path};
    request.what = "MKD " + remote_path;
    perform(request);
}

void FtpsClient::mkdirs(const std::string& remote_path) {
    Request request;
    request.url = url_for("/", true);
    request.no_body = true;
    std::string path;
    for (const std::string& part : split_remote_path(remote_path)) {
        path += "/" + part;
        request.quote.push_back("*MKD " + path);
    }
    if (request.quote.empty()) return;
    request.what = "MKD " + remote_path;
    perform(request);
}

std::vector<std::string> FtpsClient::list(const std::string& remote_folder) {
    check_remote_path(remote_folder);
    std::string listing;
    Request request;
    request.url = url_for(remote_folder, true);
    request.listing = &listing;
    request.what = "NLST " + remote_folder;
    try {
        perform(request);
    } catch (const RemoteMissing&) {
        return {};
    }
    std::vector<std::string> names;
    size_t start = 0;
    while (start < listing.size()) {
        size_t end = listing.find('\n', start);
        if (end == std::string::npos) end = listing.size();
        std::string line = listing.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        // Servers answer with bare names or with the path as asked: keep the last component.
        const size_t slash = line.rfind('/');
        if (slash != std::string::npos) line = line.substr(slash + 1);
        if (!line.empty() && line != "." && line != "..") names.push_back(line);
        start = end + 1;
    }
    return names;
}

}  // namespace sightline::ftps_client
