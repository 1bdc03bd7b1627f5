// A server process for the client tests: loads the built plugin through its descriptor, as the
// host does, with a host whose clock the test shifts and a sink that records every submission.
//
// usage: test_server CONFIG_JSON_FILE RECORDS_FILE TENANT[,TENANT...]
// Prints "PORT <n>" once listening. Reads commands on stdin, one per line, answering "OK":
//   shift <seconds>   move the host clock forward
//   drain             Transport::drain()
//   quit              stop and exit (also on end of input)
// Sink answers: names containing "refuse" are refused with a located error, names containing
// "retry" are answered retry, everything else loaded.
#include <malloc.h>
#include <openssl/evp.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sightline/plugin/api.hpp"
#include "sightline/plugin/transport.hpp"
#include "sightline/testing/plugin_testing.hpp"

namespace {

using namespace sightline;

std::mutex out_mutex;

class Host : public plugin::HostServices {
public:
    explicit Host(std::vector<std::string> tenants) : tenants_(std::move(tenants)) {}
    void log(plugin::LogLevel level, std::string_view event,
             const plugin::LogFields& fields) override {
        nlohmann::json line{{"level", static_cast<int>(level)}, {"event", std::string(event)}};
        for (const auto& [k, v] : fields) line[k] = v;
        std::lock_guard<std::mutex> lock(out_mutex);
        std::cerr << line.dump() << std::endl;
        if (event == "intake_ftps.started") {
            const std::string listen = fields.at("listen");
            std::cout << "PORT " << listen.substr(listen.rfind(':') + 1) << std::endl;
        }
    }
    std::string state_dir() override { return state_.path(); }
    int64_t now_us() override {
        return std::chrono::duration_cast<std::chrono::microseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count() +
               offset_us_.load();
    }
    std::vector<std::string> tenants() override { return tenants_; }
    void shift(int64_t seconds) { offset_us_ += seconds * 1'000'000; }

private:
    testing::TempDir state_;
    std::vector<std::string> tenants_;
    std::atomic<int64_t> offset_us_{0};
};

// Streams the file (the benchmark submits 1 GiB uploads: memory must not grow with size).
std::string sha256_file(const std::string& path, int64_t& bytes, int64_t& lines) {
    std::ifstream in(path, std::ios::binary);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
    std::vector<char> buffer(1 << 20);
    bytes = 0;
    lines = 0;
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto n = static_cast<size_t>(in.gcount());
        if (n == 0) break;
        EVP_DigestUpdate(ctx, buffer.data(), n);
        bytes += static_cast<int64_t>(n);
        for (size_t i = 0; i < n; ++i) lines += buffer[i] == '\n';
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_DigestFinal_ex(ctx, digest, &size);
    EVP_MD_CTX_free(ctx);
    std::ostringstream hex;
    for (unsigned int i = 0; i < size; ++i) {
        hex << "0123456789abcdef"[digest[i] >> 4] << "0123456789abcdef"[digest[i] & 15];
    }
    return hex.str();
}

class RecordingSink : public plugin::UploadSink {
public:
    explicit RecordingSink(std::string path) : path_(std::move(path)) {}
    plugin::UploadResult submit(const plugin::Upload& upload) override {
        int64_t bytes = 0;
        int64_t lines = 0;
        const std::string sha = sha256_file(upload.path, bytes, lines);
        plugin::UploadResult result;
        if (upload.name.find("refuse") != std::string::npos) {
            result.outcome = plugin::UploadOutcome::refused;
            result.message = upload.name + ":2:7: price: not a decimal\r\nand a second line";
        } else if (upload.name.find("retry") != std::string::npos) {
            result.outcome = plugin::UploadOutcome::retry;
            result.message = "target down";
        } else {
            result.outcome = plugin::UploadOutcome::loaded;
            result.message = "loaded " + std::to_string(lines) + " lines";
        }
        nlohmann::json record{
            {"tenant", upload.tenant}, {"name", upload.name},
            {"full", upload.full},     {"account", upload.account},
            {"peer", upload.peer},     {"sha256", sha},
            {"bytes", bytes},          {"outcome", plugin::to_string(result.outcome)}};
        std::lock_guard<std::mutex> lock(mutex_);
        std::ofstream out(path_, std::ios::app);
        out << record.dump() << "\n";
        return result;
    }

private:
    std::mutex mutex_;
    std::string path_;
};

}  // namespace

int main(int argc, char** argv) {
    // As `sightline serve` does (host/cli/cmd_serve.cpp): large transient buffers go back to the
    // system when freed.
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    if (argc != 4) {
        std::cerr << "usage: test_server CONFIG_JSON_FILE RECORDS_FILE TENANTS\n";
        return 2;
    }
    std::ifstream config_in(argv[1]);
    const std::string config((std::istreambuf_iterator<char>(config_in)),
                             std::istreambuf_iterator<char>());
    std::vector<std::string> tenants;
    std::stringstream list(argv[3]);
    for (std::string t; std::getline(list, t, ',');) tenants.push_back(t);

    Host host(tenants);
    RecordingSink sink(argv[2]);
    try {
        const auto& descriptor = testing::load_plugin_module(SIGHTLINE_INTAKE_FTPS_PLUGIN);
        plugin::CreateContext context;
        context.host = &host;
        context.config_json = config;
        context.instance_name = "intake[0]";
        std::unique_ptr<plugin::Plugin> created = descriptor.create(context);
        auto* transport = dynamic_cast<plugin::Transport*>(created.get());
        if (transport == nullptr) throw std::runtime_error("not a transport");
        transport->start(sink);
        for (std::string line; std::getline(std::cin, line);) {
            if (line.rfind("shift ", 0) == 0) {
                host.shift(std::stoll(line.substr(6)));
            } else if (line == "drain") {
                transport->drain(sink);
            } else if (line == "quit") {
                break;
            }
            std::lock_guard<std::mutex> lock(out_mutex);
            std::cout << "OK" << std::endl;
        }
        transport->stop();
        created.reset();
    } catch (const std::exception& e) {
        std::cerr << "test_server: " << e.what() << std::endl;
        return 1;
    }
    return 0;
}
